"""Spreadsheets as people save them: CSV dialects, XLSX and ODS cells, blank rows, wrong kinds."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import tablib

from products.models import Brand, Offer
from products.spreadsheets import ImportFileError, read_dataset
from products.tests.files import HEADER, csv_bytes, ods_bytes, row, run, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_empty_file_is_refused_in_plain_words():
    with pytest.raises(ImportFileError, match="The file is empty"):
        read_dataset(b"", "csv")
    with pytest.raises(ImportFileError, match="has a header row but no rows"):
        read_dataset(csv_bytes([]), "csv")


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


def test_ods_written_by_tablib_is_read():
    ods = tablib.Dataset(row(), row(merchant="iHerb", price="19.00"), headers=HEADER).export("ods")
    report = run(ods, "ods")
    assert report.ok, report.problems
    assert Offer.objects.count() == 2


def test_ods_from_libreoffice_with_repeated_cells_and_date_cells():
    # serving_size and amount_per_serving hold the same text, so LibreOffice stores them as one repeated cell.
    same = row(
        serving_size="5 g", amount_per_serving="5 g", price=29.99, price_checked_at=datetime(2026, 11, 20, 14, 5)
    )
    report = run(ods_bytes([HEADER, same]), "ods")
    assert report.ok, report.problems
    offer = Offer.objects.select_related("product").get()
    assert (offer.product.serving_size, offer.product.dose_per_serving) == ("5 g", "5 g")
    assert offer.price_checked_at == datetime(2026, 11, 20, 14, 5, tzinfo=UTC)


def test_a_file_in_the_wrong_format_says_so():
    with pytest.raises(ImportFileError, match="could not be opened as an XLSX spreadsheet"):
        read_dataset(csv_bytes([row()]), "xlsx")


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_blank_rows_above_the_header_are_skipped_in_every_format(file_format):
    rows = [[""] * len(HEADER), HEADER, row()]
    data = {
        "csv": lambda: csv_bytes(rows[1:], header=rows[0]),
        "xlsx": lambda: xlsx_bytes(rows[1:], header=[None] * len(HEADER)),
        "ods": lambda: ods_bytes(rows),
    }[file_format]()
    assert run(data, file_format).ok
    assert Offer.objects.count() == 1
