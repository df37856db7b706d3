from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path("reviewers/<slug:slug>/", views.reviewer_detail, name="reviewer_detail"),
]
