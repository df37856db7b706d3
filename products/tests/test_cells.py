"""Cells as people write them: prices, amounts, forms, stock and check times, each read by its parser."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from products.cells import CellError, Cells, parse_amount, parse_checked_at, parse_in_stock, parse_price
from products.models import CLOCK_SKEW, Offer
from products.tests.files import NOW, csv_bytes, row, run

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


def test_a_price_cell_holding_a_formula_result_is_rounded_to_cents():
    assert parse_price(29.994999, Cells({}, NOW)) == Decimal("29.99")
    assert parse_price(datetime(2026, 1, 1, tzinfo=UTC).year, Cells({}, NOW)) == Decimal("2026.00")
