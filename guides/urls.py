from django.urls import path

from . import views
from .feeds import LatestGuidesFeed

app_name = "guides"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("guides/<slug:slug>/report/", views.report_error, name="report_error"),
    path("guides/<slug:slug>/report/sent/", views.report_error_sent, name="report_error_sent"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path("reviewers/<slug:slug>/", views.reviewer_detail, name="reviewer_detail"),
    path("pages/<slug:slug>/", views.page_detail, name="page_detail"),
    path("search/", views.search_results, name="search"),
    path("newsletter/", views.newsletter_signup, name="newsletter_signup"),
    path("newsletter/sent/", views.newsletter_sent, name="newsletter_sent"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("feeds/guides/", LatestGuidesFeed(), name="feed"),
]
