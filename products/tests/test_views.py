import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from products.models import AffiliateClick, PriceHistory
from products.tests.factories import MerchantFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def go(client, offer, query="", **headers):
    return client.get(f"/go/{offer.token}/{query}", headers={"User-Agent": BROWSER} | headers)


# Price freshness on the product page


def test_product_page_shows_price_with_currency_check_time_and_disclaimer(client):
    offer = OfferFactory(price=Decimal("34.99"), price_checked_at=timezone.now() - timedelta(hours=3))
    html = client.get(offer.product.get_absolute_url()).content.decode()
    assert '$34.99</data> <abbr class="currency" title="Currency">USD</abbr> at Amazon US' in html
    assert re.search(r'Price checked <time datetime="[^"]+" title="[^"]+">3\xa0hours ago</time>', html)
    assert "Prices and availability are accurate as of the time shown and may change." in html


@pytest.mark.parametrize(
    ("age", "shown"), [(timedelta(hours=24, minutes=1), False), (timedelta(hours=23, minutes=59), True)]
)
def test_price_is_hidden_one_minute_past_the_merchant_limit_and_shown_one_minute_before(client, age, shown):
    offer = OfferFactory(price=Decimal("34.99"), price_checked_at=timezone.now() - age)
    html = client.get(offer.product.get_absolute_url()).content.decode()
    assert ("$34.99" in html) is shown
    assert ("Check current price at Amazon US" in html) is not shown
    assert f"/go/{offer.token}/" in html  # the link works either way


def test_out_of_stock_offer_says_so(client):
    offer = OfferFactory(in_stock=False)
    assert "Out of stock at Amazon US" in client.get(offer.product.get_absolute_url()).content.decode()


def test_every_affiliate_link_goes_through_go_after_the_disclosure(client):
    product = ProductFactory()
    offers = [OfferFactory(product=product, merchant=MerchantFactory(name=name)) for name in ["A shop", "B shop"]]
    html = client.get(product.get_absolute_url()).content.decode()
    links = re.findall(r'<a class="button" href="([^"]+)" rel="sponsored noopener"', html)
    assert links == [f"/go/{o.token}/?from=%2Fproducts%2F{product.slug}%2F" for o in offers]
    assert "shop.example.com" not in html
    assert html.count("Affiliate disclosure:") == 1
    assert html.index("Affiliate disclosure:") < html.index("/go/")


def test_price_history_chart_is_drawn_on_the_server(client):
    offer = OfferFactory(price=Decimal("30.00"), price_checked_at=timezone.now() - timedelta(hours=1))
    for days, price in [(20, "34.00"), (10, "32.00")]:
        PriceHistory.objects.create(
            offer=offer,
            price=Decimal(price),
            currency="USD",
            checked_at=timezone.now() - timedelta(days=days),
            source="import",
        )
    html = client.get(offer.product.get_absolute_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert "<script" not in html
    assert svg.count("<circle") == 3  # two history points and the current price
    assert "Amazon US: $34.00 on" in svg
    assert "$32.00 USD" in html  # the table beside the chart


def test_stale_offer_is_left_out_of_the_chart(client):
    offer = OfferFactory(price=Decimal("30.00"), price_checked_at=timezone.now() - timedelta(days=3))
    html = client.get(offer.product.get_absolute_url()).content.decode()
    assert "<svg" not in html
    assert "No price history to show yet." in html


def test_product_page_query_count_does_not_grow_with_offers_and_history(client):
    def page_queries(offers):
        product = ProductFactory()
        for n in range(offers):
            offer = OfferFactory(product=product, merchant=MerchantFactory(name=f"Shop {n}"))
            PriceHistory.objects.record([offer] * 3, source="import")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(product.get_absolute_url()).status_code == 200
        return len(queries)

    assert page_queries(1) == page_queries(8) <= 6


# /go/


def test_go_ignores_urls_in_the_query_string(client):
    offer = OfferFactory(affiliate_url="https://shop.example.com/item/1")
    query = "?next=https://evil.example/&url=https://evil.example/&from=https://evil.example/guides/x/"
    response = go(client, offer, query)
    assert response["Location"] == "https://shop.example.com/item/1"
    click = AffiliateClick.objects.get()
    assert (click.referrer_path, click.guide_slug) == ("", "")


def test_go_keeps_only_paths_of_our_own_pages(client):
    offer = OfferFactory()
    for source in [
        "//evil.example/guides/x/",
        "/no/such/page/",
        "/admin/",
        f"/go/{offer.token}/",
        "/guides/" + "x" * 400,
    ]:
        go(client, offer, f"?from={source}")
    assert set(AffiliateClick.objects.values_list("referrer_path", flat=True)) == {""}
    go(client, offer, "?from=/guides/" + "y" * 250 + "/")  # longer than any guide's slug may be
    assert AffiliateClick.objects.latest("pk").guide_slug == ""


def test_go_answers_404_for_unknown_and_disabled_offers(client):
    disabled = OfferFactory(is_active=False)
    for token in ["not-a-token", disabled.token]:
        response = client.get(f"/go/{token}/", headers={"User-Agent": BROWSER})
        assert response.status_code == 404
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not AffiliateClick.objects.exists()


@pytest.mark.parametrize(
    "user_agent",
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.5.0", ""],
)
def test_go_redirects_bots_without_counting_them(client, user_agent):
    offer = OfferFactory()
    response = client.get(f"/go/{offer.token}/", headers={"User-Agent": user_agent})
    assert response.status_code == 302
    assert not AffiliateClick.objects.exists()


def test_go_is_never_cached(client):
    response = go(client, OfferFactory())
    assert "no-store" in response["Cache-Control"]


def test_offer_tokens_are_unguessable_and_distinct():
    tokens = {OfferFactory().token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 22 for token in tokens)


def test_robots_txt_keeps_crawlers_out_of_go_and_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /go/" in lines
    assert "Disallow: /admin/" in lines
