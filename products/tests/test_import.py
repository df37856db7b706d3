from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, OperationalError

from products.importing import RACE, ImportReport, import_offers
from products.models import Brand, Merchant, Offer, PriceHistory, Product
from products.planning import Plan
from products.signals import offers_imported
from products.spreadsheets import Problem, read_dataset
from products.tests.factories import BrandFactory, MerchantFactory, OfferFactory, ProductFactory
from products.tests.files import HEADER, NOW, csv_bytes, nothing_written, row, run

pytestmark = pytest.mark.django_db

# Happy path, idempotence, matching


def test_import_creates_brand_merchant_product_offer_and_history():
    report = run(csv_bytes([row(), row(merchant="iHerb", price="27.50", affiliate_url="https://iherb.example/1")]))
    assert report.ok, report.problems
    assert report.counts == {"new": 2, "updated": 0, "unchanged": 0}
    product = Product.objects.get(sku="NOW-GLN-500")
    assert str(product) == "NOW Foods L-Glutamine Powder"
    assert product.slug == "now-foods-l-glutamine-powder"
    assert product.dose_per_serving == "5 g"
    assert product.certification_list == ["Informed Choice"]
    offer = product.offers.get(merchant__name="Amazon US")
    assert offer.price == Decimal("29.99")
    assert offer.price_checked_at == datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
    assert Merchant.objects.get(name="iHerb").price_max_age == timedelta(hours=24)
    assert PriceHistory.objects.filter(source="import").count() == 2


def test_importing_the_same_file_twice_changes_nothing():
    data = csv_bytes([row(), row(merchant="iHerb", affiliate_url="https://iherb.example/1")])
    run(data)
    before = list(Offer.objects.values())
    report = run(data)
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 2}
    assert list(Offer.objects.values()) == before
    assert PriceHistory.objects.count() == 2
    assert report.summary == "0 new, 0 updated, 2 unchanged offers."


def test_brands_and_merchants_match_ignoring_capitals():
    brand = BrandFactory(name="NOW Foods")
    merchant = MerchantFactory(name="Amazon US")
    report = run(csv_bytes([row(brand="now foods", merchant="AMAZON us")]))
    assert report.ok
    assert Brand.objects.get() == brand
    assert Offer.objects.get().merchant == merchant


def test_existing_offer_is_updated_on_sku_and_merchant():
    offer = OfferFactory(
        product=ProductFactory(sku="NOW-GLN-500"),
        merchant=MerchantFactory(name="Amazon US"),
        price_checked_at=NOW - timedelta(days=5),
    )
    report = run(csv_bytes([row(price="31.00", in_stock="no")]))
    assert report.counts["updated"] == 1
    offer.refresh_from_db()
    assert (offer.price, offer.in_stock) == (Decimal("31.00"), False)
    assert Offer.objects.count() == 1


def test_empty_price_checked_at_means_the_import_time():
    run(csv_bytes([row(price_checked_at="")]))
    assert Offer.objects.get().price_checked_at == NOW


# Every price change is written to the history, on the bulk path too


def test_price_change_writes_history_with_who_and_when(editor):
    run(csv_bytes([row()]))
    later = NOW + timedelta(days=1)
    import_offers(read_dataset(csv_bytes([row(price="$24.99", price_checked_at="")]), "csv"), at=later, user=editor)
    history = list(
        PriceHistory.objects.order_by("checked_at").values_list("price", "checked_at", "source", "changed_by")
    )
    assert history == [
        (Decimal("29.99"), datetime(2026, 11, 20, 14, 5, tzinfo=UTC), "import", None),
        (Decimal("24.99"), later, "import", editor.pk),
    ]


def test_history_is_written_for_every_changed_price_in_a_long_file():
    skus = [f"SKU-{n:04d}" for n in range(1200)]
    run(csv_bytes([row(sku=sku, product=f"Powder {sku}") for sku in skus]))
    report = run(csv_bytes([row(sku=sku, product=f"Powder {sku}", price="19.99") for sku in skus]))
    assert report.counts["updated"] == 1200
    assert PriceHistory.objects.filter(price=Decimal("19.99")).count() == 1200
    assert not Offer.objects.exclude(price=Decimal("19.99")).exists()


def test_unchanged_price_writes_no_history():
    run(csv_bytes([row()]))
    run(csv_bytes([row(in_stock="no")]))
    assert PriceHistory.objects.count() == 1


def test_import_queries_do_not_grow_with_rows(django_assert_max_num_queries):
    rows = [row(sku=f"SKU-{n:04d}", product=f"Powder {n}") for n in range(300)]
    run(csv_bytes(rows))
    changed = [row(sku=f"SKU-{n:04d}", product=f"Powder {n}", price="9.99") for n in range(300)]
    with django_assert_max_num_queries(15):
        run(csv_bytes(changed))


# Bad rows: nothing written, each problem named by row and column


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"price": "abc"}, "price", "“abc” is not a price"),
        ({"price": "-4.00"}, "price", "“-4.00” is negative"),
        ({"currency": "EURO"}, "currency", "“EURO” is not a currency code we know"),
        ({"affiliate_url": "http://shop.example/1"}, "affiliate_url", "Affiliate links must start with https://"),
        ({"price_checked_at": "2026-12-01 09:00"}, "price_checked_at", "2026-12-01 09:00 is in the future"),
        ({"price_checked_at": "20/11/2026"}, "price_checked_at", "is not a date and time"),
        ({"form": "syrup"}, "form", "“syrup” is not a product form"),
        ({"servings_per_container": "0"}, "servings_per_container", "not a whole number of servings"),
        ({"price": "29,99 €", "currency": "USD"}, "price", "is written in EUR but the currency column says USD"),
    ],
)
def test_bad_row_writes_nothing_and_names_row_and_column(overrides, column, words):
    report = run(csv_bytes([row(sku="GOOD-1"), row(**overrides)]))
    assert not report.ok
    assert nothing_written()
    [problem] = report.problems
    assert str(problem).startswith(f"Row 3, column “{column}” (")
    assert words in str(problem)


def test_same_sku_and_merchant_twice_is_refused():
    report = run(csv_bytes([row(), row(merchant="amazon us")]))
    assert nothing_written()
    assert [str(p) for p in report.problems] == [
        "Row 3, column “merchant” (I): NOW-GLN-500 at Amazon US is already on row 2. Give each offer one row.",
    ]


def test_missing_required_column_is_named():
    header = [name for name in HEADER if name != "price"]
    report = run(csv_bytes([[v for n, v in zip(HEADER, row(), strict=True) if n != "price"]], header=header))
    assert nothing_written()
    assert [str(p) for p in report.problems] == [
        "Row 1, column “price”: is missing from the header row.",
        "The first row must name the columns: sku, brand, product, form, serving_size, amount_per_serving, "
        "servings_per_container, certifications, merchant, price, currency, price_checked_at, affiliate_url, "
        "in_stock, in any order (certifications, price_checked_at, in_stock may be left out).",
    ]


def test_every_problem_in_the_file_is_listed_and_nothing_is_written():
    rows = [row(sku="A"), row(sku="B", price="-1"), row(sku="C", currency="XXX"), row(sku="D", affiliate_url="ftp://x")]
    report = run(csv_bytes(rows))
    assert nothing_written()
    assert [(p.row, p.column) for p in report.problems] == [(3, "price"), (4, "currency"), (5, "affiliate_url")]
    assert report.summary.startswith("Nothing was imported: the file has 3 problems.")


def test_rows_for_one_sku_must_describe_the_same_product():
    report = run(csv_bytes([row(), row(merchant="iHerb", product="Other name")]))
    assert nothing_written()
    assert "row 2 says “L-Glutamine Powder” for the same SKU" in str(report.problems[0])


def test_unknown_columns_are_reported_and_ignored():
    report = run(csv_bytes([[*row(), "x"]], header=[*HEADER, "Notes"]))
    assert report.ok
    assert report.notes == ["Column “Notes” (O) is not one we know, so it was ignored."]


def test_updated_rows_name_the_columns_that_change():
    run(csv_bytes([row()]))
    report = run(csv_bytes([row(amount_per_serving="5000 mg", price="31.00", in_stock="no")]))
    [outcome] = report.outcomes
    assert (outcome.action, outcome.changes) == ("updated", ["amount_per_serving", "price", "in_stock"])


def test_summary_speaks_of_one_problem_in_the_singular():
    report = ImportReport(dry_run=True)
    report.problems.append(Problem("“-4,00” is negative. A price must be 0 or more.", 3, "price"))
    assert report.summary == "Nothing was imported: the file has 1 problem. Fix it and import the whole file again."


def test_an_import_that_writes_tells_those_who_cache_reader_pages(django_capture_on_commit_callbacks):
    sent = []

    def receiver(sender, report, **kwargs):
        sent.append(report.summary)

    offers_imported.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(csv_bytes([row()]), dry_run=True)
            run(csv_bytes([row(price="-1")]))
        assert sent == []
        with django_capture_on_commit_callbacks(execute=True):
            run(csv_bytes([row()]))
        assert sent == [
            "1 new, 0 updated, 0 unchanged offers; 1 new product, 1 new brand, 1 new merchant, "
            "1 price added to the price history.",
        ]
    finally:
        offers_imported.disconnect(receiver)


# Another import's write in the way: planned again, a few times, before the file is refused


class DeadlockDetected(Exception):
    sqlstate = "40P01"


@pytest.mark.parametrize(
    "in_the_way",
    [IntegrityError("a new brand's key was taken meanwhile"), OperationalError("deadlock detected")],
)
def test_a_write_that_meets_another_import_is_planned_again(monkeypatch, in_the_way):
    if isinstance(in_the_way, OperationalError):
        in_the_way.__cause__ = DeadlockDetected()
    tries, write = [], Plan.write

    def in_the_way_once(plan, **kwargs):
        tries.append(plan)
        if len(tries) == 1:
            raise in_the_way
        return write(plan, **kwargs)

    monkeypatch.setattr(Plan, "write", in_the_way_once)
    report = run(csv_bytes([row()]))
    assert report.ok, report.problems
    assert (len(tries), Offer.objects.count(), PriceHistory.objects.count()) == (2, 1, 1)


def test_an_import_kept_from_writing_every_time_is_refused_whole(monkeypatch):
    def always_in_the_way(plan, **kwargs):
        raise IntegrityError

    monkeypatch.setattr(Plan, "write", always_in_the_way)
    report = run(csv_bytes([row()]))
    assert [str(problem) for problem in report.problems] == [RACE]
    assert (report.outcomes, report.summary.startswith("Nothing was imported")) == ([], True)
    assert nothing_written()


def test_a_database_error_that_is_no_race_is_not_retried(monkeypatch):
    def broken(plan, **kwargs):
        raise OperationalError("disk full")

    monkeypatch.setattr(Plan, "write", broken)
    with pytest.raises(OperationalError, match="disk full"):
        run(csv_bytes([row()]))
