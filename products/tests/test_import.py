import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from products.formats import CSV, ODS, XLSX
from products.importing import (
    COLUMNS,
    EXAMPLE_ROW,
    ImportFileError,
    ImportReport,
    Problem,
    import_offers,
    read_dataset,
)
from products.models import Brand, Merchant, Offer, PriceHistory, Product
from products.resources import OfferResource
from products.signals import offers_imported
from products.tests.factories import BrandFactory, MerchantFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HEADER = list(COLUMNS)


def row(**overrides):
    values = {**EXAMPLE_ROW, "price_checked_at": "2026-11-20 14:05"} | overrides
    return [values[name] for name in HEADER]


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerows([header, *rows])
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode()


def xlsx_bytes(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(data, file_format="csv", **kwargs):
    return import_offers(read_dataset(data, file_format), at=NOW, **kwargs)


def nothing_written():
    return not (Product.objects.exists() or Offer.objects.exists() or Brand.objects.exists())


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
    offer = OfferFactory(product=ProductFactory(sku="NOW-GLN-500"), merchant=MerchantFactory(name="Amazon US"))
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


def test_empty_file_is_refused_in_plain_words():
    with pytest.raises(ImportFileError, match="The file is empty"):
        read_dataset(b"", "csv")
    with pytest.raises(ImportFileError, match="has a header row but no rows"):
        read_dataset(csv_bytes([]), "csv")


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


# Spreadsheets as people save them


def test_excel_csv_with_bom_semicolons_and_european_prices():
    header = [name.upper().replace("_", " ") for name in reversed(HEADER)]
    values = list(reversed(row(price="29,99 €", currency="EUR")))
    report = run(csv_bytes([values, [""] * len(HEADER)], header=header, delimiter=";", bom=True))
    assert report.ok, report.problems
    offer = Offer.objects.get()
    assert (offer.price, offer.currency) == (Decimal("29.99"), "EUR")


def test_csv_saved_in_the_windows_code_page_is_read():
    data = csv_bytes([row(brand="Nature’s Way", price="29,99 €", currency="EUR")]).decode().encode("cp1252")
    report = run(data)
    assert report.ok, report.problems
    assert Brand.objects.get().name == "Nature’s Way"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("29.99", "29.99"),
        ("$29.99", "29.99"),
        ("29,99 €", "29.99"),
        ("1.299,00", "1299.00"),
        ("USD 1,299.50", "1299.50"),
    ],
)
def test_prices_are_read_as_people_write_them(written, expected):
    currency = "EUR" if "€" in written else "USD"
    report = run(csv_bytes([row(price=written, currency=currency)]))
    assert report.ok, report.problems
    assert Offer.objects.get().price == Decimal(expected)


def test_xlsx_with_date_cells_number_cells_and_numbers_stored_as_text():
    rows = [
        row(price=29.99, price_checked_at=datetime(2026, 11, 20, 14, 5), servings_per_container="100"),
        row(merchant="iHerb", price="27.5", price_checked_at="2026-11-21T08:00:00Z", servings_per_container=100.0),
        [None] * len(HEADER),
        [None] * len(HEADER),
    ]
    report = run(xlsx_bytes(rows), "xlsx")
    assert report.ok, report.problems
    amazon, iherb = Offer.objects.order_by("merchant__name")
    assert amazon.price_checked_at == datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
    assert iherb.price_checked_at == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    assert iherb.price == Decimal("27.50")


def test_xlsx_problem_rows_match_spreadsheet_row_numbers():
    rows = [row(), [None] * len(HEADER), row(merchant="iHerb", price="free")]
    report = run(xlsx_bytes(rows), "xlsx")
    assert [str(p) for p in report.problems] == [
        "Row 4, column “price” (J): “free” is not a price. Write it like 29.99, $29.99 or 29,99 €.",
    ]


def test_ods_round_trip_through_the_admin_format():
    dataset = tablib.Dataset(row(), row(merchant="iHerb", price="19.00"), headers=HEADER)
    ods = dataset.export("ods")
    report = import_offers(ODS().create_dataset(ods), at=NOW)
    assert report.ok, report.problems
    assert Offer.objects.count() == 2


def ods_bytes(rows):
    """An ODS file written the way LibreOffice writes one: equal neighbouring cells and the empty
    rows below the data stored once with a repeat count."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Offers")
    for values in rows:
        table_row = TableRow()
        runs = []
        for value in values:
            if runs and runs[-1][0] == value:
                runs[-1][1] += 1
            else:
                runs.append([value, 1])
        for value, repeat in runs:
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value, numbercolumnsrepeated=repeat)
            elif isinstance(value, datetime):
                cell = TableCell(valuetype="date", datevalue=value.isoformat(), numbercolumnsrepeated=repeat)
            else:
                cell = TableCell(valuetype="string", numbercolumnsrepeated=repeat)
                cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    table.addElement(TableRow(numberrowsrepeated=1048000))
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def test_ods_from_libreoffice_with_repeated_cells_and_date_cells():
    # serving_size and amount_per_serving hold the same text, so LibreOffice stores them as one repeated cell.
    same = row(
        serving_size="5 g", amount_per_serving="5 g", price=29.99, price_checked_at=datetime(2026, 11, 20, 14, 5)
    )
    report = import_offers(ODS().create_dataset(ods_bytes([HEADER, same])), at=NOW)
    assert report.ok, report.problems
    offer = Offer.objects.select_related("product").get()
    assert (offer.product.serving_size, offer.product.dose_per_serving) == ("5 g", "5 g")
    assert offer.price_checked_at == datetime(2026, 11, 20, 14, 5, tzinfo=UTC)


def test_ods_is_read_as_a_binary_file_by_the_admin():
    assert (ODS().is_binary(), ODS().get_read_mode()) == (True, "rb")


def test_a_file_in_the_wrong_format_says_so():
    with pytest.raises(ImportFileError, match="could not be opened as an XLSX spreadsheet"):
        XLSX().create_dataset(csv_bytes([row()]))


# The command


def test_command_imports_and_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(csv_bytes([row()]))
    call_command("import_products", str(path))
    out = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0, errors 0" in out
    assert Offer.objects.count() == 1


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "offers.xlsx"
    path.write_bytes(xlsx_bytes([row()]))
    call_command("import_products", str(path), "--dry-run")
    assert "Dry run, nothing was written" in capsys.readouterr().out
    assert nothing_written()


def test_command_fails_on_any_error_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(csv_bytes([row(), row(merchant="iHerb", price="-3")]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_products", str(path))
    assert "Row 3, column “price” (J): “-3” is negative." in capsys.readouterr().err
    assert nothing_written()


def test_command_shows_progress_on_long_files(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(csv_bytes([row(sku=f"S-{n}", product=f"P {n}") for n in range(1000)]))
    call_command("import_products", str(path))
    assert "] 1,000/1,000 rows" in capsys.readouterr().err


# Export


def test_export_escapes_cells_a_spreadsheet_would_run_as_formulas():
    names = ['=HYPERLINK("https://evil.example")', "+1", "-2", "@SUM(A1)", "\tTab", "\rReturn", "Plain"]
    for n, name in enumerate(names):
        OfferFactory(product=ProductFactory(name=name, sku=f"X{n}"))
    dataset = OfferResource().export(Offer.objects.order_by("product__sku"))
    escaped = [f"'{name}" for name in names[:-1]] + ["Plain"]
    exported = CSV().export_data(dataset).removeprefix("\ufeff")
    assert [line["product"] for line in csv.DictReader(io.StringIO(exported, newline=""))] == escaped
    sheet = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset))).active
    # XML reads a carriage return back as a line feed.
    assert [cell.value.replace("\n", "\r") for cell in sheet["C"][1:]] == escaped
    assert {cell.data_type for cell in sheet["C"][1:]} == {"s"}  # text, not formulas


def test_exported_offers_import_again_unchanged():
    OfferFactory(product=ProductFactory(sku="=CMD", name="-Minus"), price_checked_at=NOW - timedelta(hours=2))
    exported = XLSX().export_data(OfferResource().export(Offer.objects.all()))
    report = import_offers(XLSX().create_dataset(exported), at=NOW)
    assert report.ok, report.problems
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1}


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
