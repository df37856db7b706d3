from django.urls import path

from . import views
from .feeds import GuideChangesFeed

app_name = "guides"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path("reviewers/", views.reviewer_list, name="reviewer_list"),
    path("reviewers/<slug:slug>/", views.reviewer_detail, name="reviewer_detail"),
    path("what-changed/", views.what_changed, name="what_changed"),
    path("what-changed/feed/", GuideChangesFeed(), name="what_changed_feed"),
]
