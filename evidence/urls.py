from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.study_list, name="study_list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim_detail"),
    path("<slug:slug>/", views.study_detail, name="study_detail"),
]
