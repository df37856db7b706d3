"""An older price never overwrites a newer one: `Offer.observe_price`, on every path that sets a price."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from products.models import Offer, PriceHistory
from products.tests.factories import OfferFactory
from products.tests.files import NOW, csv_bytes, row, run

pytestmark = pytest.mark.django_db

TEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NINE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def history():
    return list(PriceHistory.objects.order_by("checked_at").values_list("price", "checked_at"))


def test_an_older_price_goes_into_the_history_but_not_onto_the_offer():
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 10:00")]))
    report = run(csv_bytes([row(price="25.00", price_checked_at="2026-11-20 09:00")]))
    assert report.ok, report.problems
    offer = Offer.objects.get()
    assert (offer.price, offer.price_checked_at) == (Decimal("20.00"), TEN)
    assert history() == [(Decimal("25.00"), NINE), (Decimal("20.00"), TEN)]
    assert report.kept == [
        "Row 2: 25.00 checked 2026-11-20 09:00 is older than the stored 20.00 checked 2026-11-20 10:00; "
        "added to the price history only.",
    ]
    assert report.summary == "0 new, 0 updated, 1 unchanged offers; 1 older price kept for a newer one stored."


def test_the_same_price_checked_a_week_earlier_does_not_move_the_check_time_back():
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-22 10:00")]))
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-15 10:00")]))
    assert Offer.objects.get().price_checked_at == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    assert Offer.objects.buyable(at=NOW).count() == 1  # still fresh for readers


def test_an_older_row_changes_nothing_seen_at_its_time_but_still_updates_the_link():
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 10:00", in_stock="no")]))
    older = row(
        price="25.00", price_checked_at="2026-11-20 09:00", in_stock="yes", affiliate_url="https://shop.example/2"
    )
    [outcome] = run(csv_bytes([older])).outcomes
    offer = Offer.objects.get()
    assert (offer.price, offer.in_stock, offer.affiliate_url) == (Decimal("20.00"), False, "https://shop.example/2")
    assert (outcome.action, outcome.changes) == ("updated", ["affiliate_url"])


def test_the_same_observation_twice_adds_one_history_row():
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 10:00")]))
    older = csv_bytes([row(price="25.00", price_checked_at="2026-11-20 09:00")])
    run(older)
    again = run(older)
    assert history() == [(Decimal("25.00"), NINE), (Decimal("20.00"), TEN)]
    assert again.kept[0].endswith("; it is already in the price history.")
    assert again.summary == "0 new, 0 updated, 1 unchanged offers; 1 older price kept for a newer one stored."


def test_a_newer_price_replaces_the_stored_one():
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 09:00")]))
    run(csv_bytes([row(price="25.00", price_checked_at="2026-11-20 10:00")]))
    offer = Offer.objects.get()
    assert (offer.price, offer.price_checked_at) == (Decimal("25.00"), TEN)
    assert history() == [(Decimal("20.00"), NINE), (Decimal("25.00"), TEN)]


def test_a_corrected_price_with_the_same_check_time_replaces_the_stored_one():
    run(csv_bytes([row(price="2.99", price_checked_at="2026-11-20 10:00")]))
    run(csv_bytes([row(price="29.99", price_checked_at="2026-11-20 10:00")]))
    assert Offer.objects.get().price == Decimal("29.99")
    assert history() == [(Decimal("2.99"), TEN), (Decimal("29.99"), TEN)]


def test_the_rule_itself_decides_on_the_stored_check_time():
    offer = OfferFactory(price=Decimal("20.00"), price_checked_at=TEN)
    older = offer.observe_price(Decimal("25.00"), "USD", NINE)
    assert (older.current, older.recorded, offer.price, offer.price_checked_at) == (False, True, Decimal("20"), TEN)
    same_later = offer.observe_price(Decimal("20.00"), "USD", TEN + timedelta(hours=1))
    assert (same_later.current, same_later.recorded) == (True, False)
    assert offer.price_checked_at == TEN + timedelta(hours=1)


def test_the_database_refuses_a_second_row_for_one_observation():
    offer = OfferFactory()
    values = {"offer": offer, "price": Decimal("9.99"), "currency": "USD", "checked_at": TEN, "source": "import"}
    PriceHistory.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceHistory.objects.create(**values)
