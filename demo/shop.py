"""The demo shop: a merchant whose price feed the development server serves itself.

Every demo offer's shop link leads to a page here too (under its merchant's
name), so the link checker finds them all working with no network, as real
shop links would be.

`make run` seeds it (merchant, an offer per demo product, a feed fetched
every hour) with addresses on the development server, which 127.0.0.1 in
OUTBOUND_HTTP_ALLOWED_HOSTS lets the feed job and the link checker reach,
so prices refresh on schedule with no network and the demo guide never
falls back to "Check current price" while the worker runs. The feed is a
Google Merchant Center TSV whose prices move a little each hour, dated at
the start of the hour (so a fetch within the hour gets a 304).
"""

import os
from datetime import UTC, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import condition

from products.models import Merchant, MerchantFeed, Offer, Product

from .management.commands._demo_glutamine import PRODUCTS

NAME, SLUG = "Glutasite Demo Shop", "glutasite-demo-shop"
HEADER = ["id", "title", "price", "availability", "link", "brand", "mpn"]
# A tenth above the product's other shops, so the demo guide shows those while their prices are fresh and
# falls back on the demo shop's, refreshed by its feed, when they go stale.
BASE_PRICES = {data["sku"]: max(price for _, price in data["offers"]) * Decimal("1.1") for data in PRODUCTS}


def site_url():
    return os.environ.get("DEMO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def hour_started(request=None):
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def price_at(base, hour):
    """A price that moves by a few cents each hour, the same for every fetch in that hour."""
    step = (int(hour.timestamp()) // 3600) % 7 - 3
    return (base * (1 + Decimal(step) / 100)).quantize(Decimal("0.01"))


@condition(last_modified_func=hour_started)
def price_feed(request):
    hour = hour_started()
    offers = Offer.objects.filter(merchant__slug=SLUG).select_related("product__brand").order_by("pk")
    lines = ["\t".join(HEADER)]
    for offer in offers:
        product = offer.product
        base = BASE_PRICES.get(product.sku, offer.price)
        lines.append(
            "\t".join(
                [
                    product.sku,
                    f"{product.brand.name} {product.name}",
                    f"{price_at(base, hour)} USD",
                    "in stock",
                    f"{site_url()}/demo/shop/{product.sku}/",
                    product.brand.name,
                    product.sku,
                ],
            ),
        )
    return HttpResponse("\n".join(lines) + "\n", content_type="text/tab-separated-values; charset=utf-8")


def product_address(sku, merchant=None):
    """A demo product's page in the demo shop; for another demo merchant, the same page under its name."""
    query = f"?merchant={merchant.slug}" if merchant is not None and merchant.slug != SLUG else ""
    return f"{site_url()}/demo/shop/{sku}/{query}"


def shop_page(request, sku):
    product = get_object_or_404(Product.objects.select_related("brand"), sku=sku)
    merchant = Merchant.objects.filter(slug=request.GET.get("merchant", "")).first()
    return render(request, "demo/shop_page.html", {"product": product, "shop": merchant.name if merchant else NAME})


shop_page.reads_query = {"merchant"}  # the page cache keys on it (readers/cache.py)


def seed(products):
    """The demo shop's merchant, an offer for each product and its feed, pointing at DEMO_SITE_URL."""
    merchant, _ = Merchant.objects.get_or_create(name=NAME, defaults={"slug": SLUG})
    for product in products:
        offer, created = Offer.objects.get_or_create(
            product=product,
            merchant=merchant,
            defaults={
                "price": price_at(BASE_PRICES.get(product.sku, Decimal("30")), hour_started()),
                "currency": "USD",
                "price_checked_at": hour_started(),  # as the feed dates this hour's prices
                "affiliate_url": product_address(product.sku),
                "merchant_product_id": product.sku,
            },
        )
        if not created and not offer.affiliate_url.startswith(site_url()):
            offer.affiliate_url = product_address(product.sku)
            offer.save(update_fields=["affiliate_url"])
    feed_url = f"{site_url()}/demo/price-feed.tsv"
    feed, created = MerchantFeed.objects.get_or_create(
        merchant=merchant,
        defaults={"url": feed_url, "format": MerchantFeed.Format.GOOGLE, "every_hours": 1},
    )
    if not created and feed.url != feed_url:
        feed.url = feed_url
        feed.save(update_fields=["url"])
