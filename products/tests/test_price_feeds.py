from datetime import timedelta
from decimal import Decimal
from email.utils import format_datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import JobRun
from products.columns import COLUMNS
from products.models import MerchantFeed, Offer, PriceHistory
from products.tests.factories import MerchantFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db

FEEDS = Path(__file__).parent / "feeds"
FAILING = "feed-failing"


@pytest.fixture(autouse=True)
def local_feeds(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_RETRY_BACKOFF_SECONDS = 0


def example_shop():
    """A merchant with two offers, one matched on its product id, one on its SKU, last priced a day ago."""
    merchant = MerchantFactory(name="Example Shop", slug="example-shop")
    checked = timezone.now() - timedelta(hours=20)
    powder = OfferFactory(
        merchant=merchant,
        product=ProductFactory(sku="NFL-GLN-500"),
        merchant_product_id="B0013OXKHC",
        price=Decimal("34.99"),
        price_checked_at=checked,
    )
    caps = OfferFactory(
        merchant=merchant,
        product=ProductFactory(sku="SKU-CAPS"),
        price=Decimal("19.95"),
        price_checked_at=checked,
    )
    return merchant, powder, caps


@pytest.fixture
def shop(httpserver):
    return example_shop()


def feed_for(merchant, httpserver, path, format, **fields):
    return MerchantFeed.objects.create(merchant=merchant, url=httpserver.url_for(path), format=format, **fields)


def fetch(**options):
    call_command("fetch_prices", verbosity=0, **options)
    return JobRun.objects.filter(job="fetch_prices").first()


@pytest.mark.parametrize(
    ("name", "format", "mapping"),
    [
        ("google.tsv", "google", {}),
        ("google.xml", "google", {}),
        (
            "mapped.csv",
            "mapped",
            {"id": "merchant_product_id", "price": "search_price", "currency": "currency", "availability": "in_stock"},
        ),
    ],
)
def test_a_feed_updates_prices_and_stock_of_matched_offers(httpserver, shop, name, format, mapping):
    merchant, powder, caps = shop
    httpserver.expect_request(f"/{name}").respond_with_data((FEEDS / name).read_bytes())
    feed_for(merchant, httpserver, f"/{name}", format, column_mapping=mapping)
    run = fetch()
    powder.refresh_from_db()
    caps.refresh_from_db()
    assert (powder.price, powder.in_stock) == (Decimal("31.49"), True)  # the sale price
    assert (caps.price, caps.in_stock) == (Decimal("19.95"), False)
    assert powder.price_checked_at > timezone.now() - timedelta(minutes=1)
    assert PriceHistory.objects.filter(offer=powder, price=Decimal("31.49")).exists()
    assert powder.affiliate_url.startswith("https://")  # the feed's link never replaces ours
    assert run.outcome == "succeeded"
    assert "Example Shop: 2 updated, 0 unchanged" in run.summary


def test_a_feed_in_our_own_columns_is_imported_like_a_spreadsheet(httpserver, shop):
    merchant, powder, _ = shop
    names = [column.name for column in COLUMNS]
    row = dict.fromkeys(names, "") | {
        "sku": powder.product.sku,
        "brand": powder.product.brand.name,
        "product": powder.product.name,
        "form": powder.product.form,
        "serving_size": powder.product.serving_size,
        "amount_per_serving": powder.product.dose_per_serving,
        "servings_per_container": str(powder.product.servings_per_container),
        "merchant": "Example Shop",
        "price": "29.00",
        "currency": "USD",
        "affiliate_url": powder.affiliate_url,
    }
    body = ",".join(names) + "\n" + ",".join(f'"{row[name]}"' for name in names) + "\n"
    httpserver.expect_request("/offers.csv").respond_with_data(body)
    feed_for(merchant, httpserver, "/offers.csv", "ours")
    fetch()
    powder.refresh_from_db()
    assert powder.price == Decimal("29.00")


def test_an_unchanged_feed_answers_304_and_refreshes_nothing_but_the_check(httpserver, shop):
    merchant, powder, _ = shop
    body = (FEEDS / "google.tsv").read_bytes()
    httpserver.expect_ordered_request("/feed.tsv").respond_with_data(body, headers={"ETag": '"v1"'})
    httpserver.expect_ordered_request("/feed.tsv", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    feed = feed_for(merchant, httpserver, "/feed.tsv", "google")
    fetch()
    powder.refresh_from_db()
    checked = powder.price_checked_at
    history = PriceHistory.objects.count()
    fetch(merchant="example-shop")
    powder.refresh_from_db()
    feed.refresh_from_db()
    assert powder.price_checked_at == checked
    assert PriceHistory.objects.count() == history
    assert (feed.failures_in_a_row, feed.etag) == (0, '"v1"')
    assert "Not changed since the last fetch (304)" in JobRun.objects.first().summary


def test_a_feed_whose_rows_no_longer_match_fails_and_changes_nothing(httpserver, shop):
    merchant, powder, _ = shop
    httpserver.expect_request("/feed.tsv").respond_with_data("id\tprice\tavailability\nZZZ-1\t1.00 USD\tin stock\n")
    feed = feed_for(merchant, httpserver, "/feed.tsv", "google")
    fetch()
    feed.refresh_from_db()
    assert "None of the feed's 1 rows matches an offer of Example Shop" in feed.last_error
    assert Offer.objects.get(pk=powder.pk).price == Decimal("34.99")


def test_one_bad_row_refuses_the_whole_feed(httpserver, shop):
    merchant, powder, caps = shop
    body = "id\tprice\tavailability\nB0013OXKHC\t27.00 USD\tin stock\nSKU-CAPS\t-4.00 USD\tin stock\n"
    httpserver.expect_request("/feed.tsv").respond_with_data(body)
    feed = feed_for(merchant, httpserver, "/feed.tsv", "google")
    fetch()
    feed.refresh_from_db()
    assert "Nothing was imported" in feed.last_error
    assert "is negative" in feed.last_error
    assert Offer.objects.get(pk=powder.pk).price == Decimal("34.99")


def test_an_older_price_never_replaces_a_newer_one(httpserver, shop):
    merchant, powder, caps = shop
    # An editor saw 33.00 an hour ago; the feed was made three hours ago.
    Offer.objects.filter(pk=powder.pk).update(
        price=Decimal("33.00"), price_checked_at=timezone.now() - timedelta(hours=1)
    )
    made = format_datetime(timezone.now() - timedelta(hours=3), usegmt=True)
    httpserver.expect_request("/feed.tsv").respond_with_data(
        (FEEDS / "google.tsv").read_bytes(),
        headers={"Last-Modified": made},
    )
    feed_for(merchant, httpserver, "/feed.tsv", "google")
    run = fetch()
    powder.refresh_from_db()
    caps.refresh_from_db()
    assert powder.price == Decimal("33.00")
    assert caps.in_stock is False  # older than the feed: updated, dated when the feed was made
    assert timezone.now() - timedelta(hours=3, minutes=1) < caps.price_checked_at < timezone.now() - timedelta(hours=2)
    assert "1 newer prices kept" in run.summary


def test_request_headers_come_from_the_environment_and_are_never_stored(httpserver, shop, monkeypatch):
    merchant, powder, _ = shop
    httpserver.expect_request("/feed.tsv", headers={"Authorization": "Bearer s3cret"}).respond_with_data(
        (FEEDS / "google.tsv").read_bytes(),
    )
    feed = feed_for(merchant, httpserver, "/feed.tsv", "google", header_variables="Authorization: SHOP_FEED_TOKEN")
    fetch()
    feed.refresh_from_db()
    assert feed.last_error == "The environment variable SHOP_FEED_TOKEN for the “Authorization” header is not set."
    monkeypatch.setenv("SHOP_FEED_TOKEN", "Bearer s3cret")
    fetch(merchant="example-shop")
    feed.refresh_from_db()
    assert feed.failures_in_a_row == 0
    assert "s3cret" not in str(MerchantFeed.objects.values().get())


def test_trying_a_feed_by_url_stores_no_settings(httpserver, shop):
    merchant, powder, _ = shop
    httpserver.expect_request("/try.xml").respond_with_data((FEEDS / "google.xml").read_bytes())
    run = fetch(merchant="example-shop", url=httpserver.url_for("/try.xml"), format="google")
    assert not MerchantFeed.objects.exists()
    assert Offer.objects.get(pk=powder.pk).price == Decimal("31.49")
    assert run.summary.startswith("Example Shop: 2 updated")


def test_a_plain_http_feed_outside_the_allowed_hosts_is_refused(httpserver, shop, settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = []
    with pytest.raises(CommandError, match="is not an https:// address"):
        fetch(merchant="example-shop", url=httpserver.url_for("/feed.tsv"), format="google")
    assert len(httpserver.log) == 0


def test_a_feed_run_makes_as_many_queries_for_three_offers_as_for_twelve(httpserver):
    checked = timezone.now() - timedelta(hours=20)
    queries = []
    for count in (3, 12):
        merchant = MerchantFactory(name=f"Shop {count}", slug=f"shop-{count}")
        offers = [
            OfferFactory(merchant=merchant, merchant_product_id=f"ID-{count}-{n}", price_checked_at=checked)
            for n in range(count)
        ]
        body = "id\tprice\tavailability\n" + "".join(f"{o.merchant_product_id}\t9.99 USD\tin stock\n" for o in offers)
        httpserver.expect_request(f"/feed-{count}.tsv").respond_with_data(body)
        feed_for(merchant, httpserver, f"/feed-{count}.tsv", "google")
        with CaptureQueriesContext(connection) as captured:
            fetch(merchant=f"shop-{count}")
        queries.append(len(captured))
    assert queries[0] == queries[1]
    assert Offer.objects.filter(price=Decimal("9.99")).count() == 15
