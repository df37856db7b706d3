import re
from email.utils import format_datetime

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from demo import shop
from guides.models import Guide
from products.models import MerchantFeed, Offer

pytestmark = pytest.mark.django_db


def test_the_demo_shop_feeds_fresh_prices_for_every_demo_product(httpserver, settings, monkeypatch):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    monkeypatch.setenv("DEMO_SITE_URL", httpserver.url_for("/").rstrip("/"))
    call_command("seed_demo", verbosity=0)
    feed = MerchantFeed.objects.get(merchant__slug=shop.SLUG)
    assert feed.url == httpserver.url_for("/demo/price-feed.tsv")
    body = shop.price_feed(RequestFactory().get("/demo/price-feed.tsv"))
    httpserver.expect_request("/demo/price-feed.tsv").respond_with_data(
        body.content,
        headers={"Last-Modified": body["Last-Modified"]},
    )
    Offer.objects.update(price_checked_at=timezone.now() - timezone.timedelta(days=3))  # everything stale
    call_command("fetch_prices", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    products = [ranked.product for ranked in guide.ranked_products.all()]
    assert all(Offer.objects.buyable().filter(product=product).exists() for product in products)


def test_the_demo_feed_answers_304_within_the_hour():
    made = format_datetime(shop.hour_started(), usegmt=True)
    response = shop.price_feed(RequestFactory().get("/demo/price-feed.tsv", HTTP_IF_MODIFIED_SINCE=made))
    assert response.status_code == 304


def test_every_demo_shop_link_leads_to_the_demo_shop_so_link_checks_pass_with_no_network(
    httpserver, settings, monkeypatch
):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    monkeypatch.setenv("DEMO_SITE_URL", httpserver.url_for("/").rstrip("/"))
    call_command("seed_demo", verbosity=0)

    # The development server's demo shop pages (demo/shop.py), served here; the link checker reaches nothing else.
    httpserver.expect_request(re.compile(r"^/demo/shop/[^/]+/$")).respond_with_data(
        "<html><title>A demo product</title><p>In stock.</p></html>", content_type="text/html"
    )
    call_command("check_links", verbosity=0)
    offers = list(Offer.objects.select_related("link_check", "merchant"))
    assert {offer.link_check.outcome for offer in offers} == {"fine"}
    assert len({offer.merchant for offer in offers}) > 1  # the demo shop's own links and the other merchants'
    page = shop.shop_page(RequestFactory().get("/", {"merchant": "amazon-us"}), "DEMO-NFL-GLN-500")
    assert "Amazon US (demo)" in page.content.decode()
