from django.urls import path

from . import shop

app_name = "demo"

urlpatterns = [
    path("price-feed.tsv", shop.price_feed, name="price_feed"),
    path("shop/<str:sku>/", shop.shop_page, name="shop_page"),
]
