from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("", views.product_index, name="product_list"),
    path("<slug:slug>/", views.product_detail, name="product_detail"),
]
