"""Products and offers changed by an import keep their history: who, when and from which file."""

import pytest
from django.urls import reverse

from products.models import Offer, Product
from products.tests.files import NOW, csv_bytes, row, run

pytestmark = pytest.mark.django_db


def entries(model):
    history = model.history.model.objects.order_by("history_id")
    return list(history.values_list("history_type", "history_user__username", "history_change_reason"))


def test_an_import_records_who_and_which_file_in_the_history_of_products_and_offers(importer):
    run(csv_bytes([row()]), user=importer, file_name="offers-2026-11.xlsx")
    run(csv_bytes([row(product="Renamed", price="31.00")]), user=importer, file_name="offers-2026-12.xlsx")
    run(csv_bytes([row(product="Renamed", price="31.00")]), user=importer, file_name="unchanged.xlsx")
    assert entries(Product) == [
        ("+", "importer", "Imported from offers-2026-11.xlsx"),
        ("~", "importer", "Imported from offers-2026-12.xlsx"),
    ]
    assert entries(Offer) == [
        ("+", "importer", "Imported from offers-2026-11.xlsx"),
        ("~", "importer", "Imported from offers-2026-12.xlsx"),
    ]
    last = Offer.history.latest()
    assert (last.price, last.history_date >= NOW) == (31, True)


def test_a_command_line_import_names_the_file_without_a_user():
    run(csv_bytes([row()]), file_name="feed.csv")
    assert entries(Offer) == [("+", None, "Imported from feed.csv")]


def test_a_refused_or_dry_run_import_writes_no_history():
    run(csv_bytes([row()]), dry_run=True)
    run(csv_bytes([row(), row(merchant="iHerb", price="-1")]))
    assert entries(Product) == entries(Offer) == []


def test_the_admin_history_pages_show_the_import(client, importer):
    run(csv_bytes([row()]), user=importer, file_name="offers-2026-11.xlsx")
    offer = Offer.objects.get()
    for url in [
        reverse("admin:products_offer_history", args=[offer.pk]),
        reverse("admin:products_product_history", args=[offer.product.pk]),
    ]:
        html = client.get(url).content.decode()
        assert "Imported from offers-2026-11.xlsx" in html
        assert "importer" in html
