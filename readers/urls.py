from django.urls import path

from . import views
from .feeds import LatestGuidesFeed

app_name = "readers"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/<slug:slug>/report/", views.report_error, name="report_error"),
    path("guides/<slug:slug>/report/sent/", views.report_error_sent, name="report_error_sent"),
    path("pages/<slug:slug>/", views.page_detail, name="page_detail"),
    path("search/", views.search_results, name="search"),
    path("newsletter/", views.newsletter_signup, name="newsletter_signup"),
    path("newsletter/sent/", views.newsletter_sent, name="newsletter_sent"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("feeds/guides/", LatestGuidesFeed(), name="feed"),
]
