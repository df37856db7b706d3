"""Two imports started at once, each in its own thread with its own database connection.

They must neither deadlock nor refuse each other over what is not a conflict (a new brand, merchant or
product both create), and the newer price wins whichever commits last.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from products.importing import RACE
from products.models import Brand, Merchant, Offer, PriceHistory, Product
from products.planning import Plan
from products.tests.files import csv_bytes, row, run

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (SELECT … FOR UPDATE): it lets one writer at a time, so two imports never "
        "interleave there",
    ),
]


def importing(data, **kwargs):
    return lambda: run(data, **kwargs)


def at_once(*jobs):
    """Run the jobs in threads started together; their results, or the first error raised."""
    results, errors, start = [None] * len(jobs), [], threading.Barrier(len(jobs))

    def work(position, job):
        try:
            start.wait(timeout=10)
            results[position] = job()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def offer_rows(count, price):
    return [row(sku=f"SKU-{n:04d}", product=f"Powder {n}", price=price, price_checked_at="") for n in range(count)]


def test_two_imports_updating_the_same_offers_in_opposite_order_do_not_deadlock():
    rows = offer_rows(1200, "10.00")  # more than one batch of updates each
    run(csv_bytes(rows))
    for attempt in range(2):
        forwards = csv_bytes(offer_rows(1200, f"2{attempt}.00"))
        backwards = csv_bytes(list(reversed(offer_rows(1200, f"3{attempt}.00"))))
        reports = at_once(importing(forwards), importing(backwards))
        assert [report.problems for report in reports] == [[], []]
        assert Offer.objects.values("price").distinct().count() == 1  # one import's prices, all of them


@pytest.fixture
def meet_before_writing(monkeypatch):
    """Both imports plan on what is stored, then both write at the same moment, the first time."""
    write, both_planned, waited = Plan.write, threading.Barrier(2), set()

    def write_together(plan, **kwargs):
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            both_planned.wait(timeout=5)
        return write(plan, **kwargs)

    monkeypatch.setattr(Plan, "write", write_together)


def test_two_imports_creating_the_same_brand_merchant_and_product_name_both_succeed(meet_before_writing):
    shared = {"brand": "Fresh Brand", "product": "Glutamine Powder", "merchant": "New Shop"}
    first = csv_bytes([row(sku="FIRST-1", **shared)])
    second = csv_bytes([row(sku="SECOND-1", **shared)])
    reports = at_once(importing(first), importing(second))
    assert [report.problems for report in reports] == [[], []]
    assert list(Brand.objects.values_list("name", flat=True)) == ["Fresh Brand"]
    assert list(Merchant.objects.values_list("name", flat=True)) == ["New Shop"]
    slugs = sorted(Product.objects.values_list("slug", flat=True))
    assert slugs[0] == "fresh-brand-glutamine-powder"
    assert slugs[1] in {"fresh-brand-glutamine-powder-first-1", "fresh-brand-glutamine-powder-second-1"}
    assert Offer.objects.count() == 2


def test_two_imports_creating_the_same_offer_keep_the_newer_price(meet_before_writing):
    newer = csv_bytes([row(sku="NEW-1", price="20.00", price_checked_at="2026-11-20 10:00")])
    older = csv_bytes([row(sku="NEW-1", price="25.00", price_checked_at="2026-11-20 09:00")])
    reports = at_once(importing(newer), importing(older))
    assert [report.problems for report in reports] == [[], []]
    assert list(Offer.objects.values_list("price", flat=True)) == [Decimal("20.00")]
    assert sorted(PriceHistory.objects.values_list("price", flat=True)) == [Decimal("20.00"), Decimal("25.00")]


def test_the_newer_price_wins_when_the_older_import_commits_last(monkeypatch):
    run(csv_bytes([row(price="15.00", price_checked_at="2026-11-20 08:00")]))
    roles, older_planning, newer_wrote = {}, threading.Event(), threading.Event()
    write = Plan.write

    def write_in_turn(plan, **kwargs):
        if roles[threading.get_ident()] == "newer":
            older_planning.wait(timeout=5)
            time.sleep(0.3)  # the older import plans meanwhile: on what is stored, or waiting for the lock
            written = write(plan, **kwargs)
            newer_wrote.set()
            return written
        newer_wrote.wait(timeout=5)  # so the older import writes, and commits, last
        return write(plan, **kwargs)

    monkeypatch.setattr(Plan, "write", write_in_turn)

    def newer():
        roles[threading.get_ident()] = "newer"
        return run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 10:00")]))

    def older():
        roles[threading.get_ident()] = "older"
        time.sleep(0.1)  # the newer import has matched the offer
        older_planning.set()
        return run(csv_bytes([row(price="25.00", price_checked_at="2026-11-20 09:00")]))

    reports = at_once(newer, older)
    assert [report.problems for report in reports] == [[], []]
    assert list(Offer.objects.values_list("price", flat=True)) == [Decimal("20.00")]
    assert sorted(PriceHistory.objects.values_list("price", flat=True)) == [Decimal(p) for p in ("15", "20", "25")]


def test_an_import_kept_waiting_for_locked_offers_past_the_lock_timeout_is_refused_not_crashed():
    run(csv_bytes([row(price="15.00", price_checked_at="2026-11-20 08:00")]))
    locked, released = threading.Event(), threading.Event()

    def hold_the_offer():
        with transaction.atomic():
            list(Offer.objects.select_for_update())
            locked.set()
            released.wait(timeout=10)

    def import_meanwhile():
        locked.wait(timeout=5)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '100ms'")
        try:
            return run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 10:00")]))
        finally:
            released.set()

    _, report = at_once(hold_the_offer, import_meanwhile)
    assert [str(problem) for problem in report.problems] == [RACE]
    assert list(Offer.objects.values_list("price", flat=True)) == [Decimal("15.00")]
