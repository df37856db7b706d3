"""Cells as people write them: prices, amounts, forms, stock and check times, each read by its parser."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from products.cells import CellError, Cells, parse_amount, parse_checked_at, parse_in_stock, parse_price, read_price
from products.models import CLOCK_SKEW, Offer
from products.tests.files import NOW, csv_bytes, row, run, xlsx_bytes

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    ("written", "currency", "expected"),
    [("US$29.99", "", "USD"), ("29,99 €", "", "EUR"), ("£12.00", "GBP", "GBP")],
)
def test_an_empty_currency_is_read_from_the_price_symbol(written, currency, expected):
    report = run(csv_bytes([row(price=written, currency=currency)]))
    assert report.ok, report.problems
    assert Offer.objects.get().currency == expected


def test_a_dollar_sign_alone_does_not_say_which_dollar():
    report = run(csv_bytes([row(price="$29.99", currency="CAD")]))
    assert report.ok, report.problems
    [problem] = run(csv_bytes([row(price="$29.99", currency="")])).problems
    assert str(problem).startswith("Row 2, column “currency” (K): is empty.")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("5 g", (Decimal("5"), "g")), ("500mg", (Decimal("500"), "mg")), ("10 µg", (Decimal("10"), "mcg")), (5, (5, "g"))],
)
def test_amounts_are_read_with_their_unit(written, expected):
    assert parse_amount(written) == expected


@pytest.mark.parametrize(("written", "expected"), [("yes", True), ("", True), ("Sold out", False), (False, False)])
def test_in_stock_reads_yes_and_no_as_people_write_them(written, expected):
    assert parse_in_stock(written) is expected


def test_a_check_time_inside_the_clock_allowance_is_accepted_and_one_beyond_it_refused():
    cells = Cells({}, NOW)
    assert parse_checked_at(NOW + CLOCK_SKEW, cells) == NOW + CLOCK_SKEW
    with pytest.raises(CellError, match="is in the future"):
        parse_checked_at(NOW + CLOCK_SKEW + timedelta(minutes=1), cells)
    assert parse_checked_at(None, cells) == NOW


@pytest.mark.parametrize("cell", [29.9999, Decimal("29.9999"), "29.9999", "29,9999"])
def test_a_price_with_more_than_two_decimals_is_refused_alike_in_number_cells_and_text(cell):
    with pytest.raises(CellError, match="has more than two decimal places. Round it to cents"):
        parse_price(cell, Cells({}, NOW))


def test_a_number_cell_is_read_to_the_digits_a_spreadsheet_keeps():
    assert parse_price(0.1 + 0.2, Cells({}, NOW)) == Decimal("0.30")
    assert parse_price(datetime(2026, 1, 1, tzinfo=UTC).year, Cells({}, NOW)) == Decimal("2026.00")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0,125", "“0,125” has more than two decimal places. Round it to cents, like 29.99."),
        ("29,990", "“29,990” could be 29.990 or 29990; write 29.99 or 29990."),
        ("29.990", "“29.990” could be 29.990 or 29990; write 29.99 or 29990."),
        ("$1,299", "“$1,299” could be 1.299 or 1299; write 1299."),
        ("1,2,3", "“1,2,3” is not a number we can read: points and commas may separate thousands in groups"),
        ("0.5.1", "“0.5.1” is not a number we can read"),
        ("1.299.99", "“1.299.99” is not a number we can read"),
        ("1,29.000,00", "“1,29.000,00” is not a number we can read"),
        ("29,", "“29,” is not a number we can read"),
    ],
)
def test_a_price_whose_separators_could_mean_two_things_or_nothing_is_refused(written, message):
    report = run(csv_bytes([row(price=written)]))
    [problem] = report.problems
    assert str(problem).startswith(f"Row 2, column “price” (J): {message}")
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1,299.00", "1299.00"),
        ("1.299,00", "1299.00"),
        ("1 299,50", "1299.50"),
        ("1'299.00", "1299.00"),
        ("12,345,678", "12345678.00"),
        ("0,5", "0.50"),
        ("-0", "0.00"),
    ],
)
def test_separators_that_mean_one_thing_are_read(written, expected):
    price, _ = read_price(written)
    assert price == Decimal(expected)
    assert str(price) == expected


def test_the_same_price_means_the_same_in_csv_and_in_an_xlsx_number_cell():
    too_precise = [run(csv_bytes([row(price="29.9999")])), run(xlsx_bytes([row(price=29.9999)]), "xlsx")]
    assert [str(report.problems[0]) for report in too_precise] == [
        "Row 2, column “price” (J): “29.9999” has more than two decimal places. Round it to cents, like 29.99.",
    ] * 2
    assert run(xlsx_bytes([row(price=29.99)]), "xlsx").ok
