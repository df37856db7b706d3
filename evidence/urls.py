from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("<slug:slug>/", views.study_detail, name="study_detail"),
]
