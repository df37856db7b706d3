from django.urls import path

from . import views
from .feeds import LatestGuidesFeed

app_name = "guides"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("reviewers/<slug:slug>/", views.reviewer_detail, name="reviewer_detail"),
    path("feeds/guides/", LatestGuidesFeed(), name="feed"),
]
