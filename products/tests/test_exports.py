import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from products.columns import COLUMNS, columns_of
from products.exports import CSV, XLSX, OfferResource, ProductResource
from products.importing import import_offers
from products.models import Offer, Product
from products.spreadsheets import read_dataset
from products.tests.factories import OfferFactory, ProductFactory
from products.tests.files import NOW, run

pytestmark = pytest.mark.django_db


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
    report = run(exported, "xlsx")
    assert report.ok, report.problems
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1}


@pytest.fixture
def exporter(client, django_user_model):
    user = django_user_model.objects.create_user("exporter", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_product", "view_offer"]))
    client.force_login(user)
    return user


def export(client, model, resource):
    """What the admin's Export gives as CSV, with every column ticked."""
    opts = model._meta
    fields = {f"{resource.__name__.lower()}_{column.name}": "on" for column in COLUMNS}
    response = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_export"), {"format": "0", **fields})
    assert response.status_code == 200
    return response.content


def test_offer_export_in_the_admin_imports_back_unchanged(client, exporter):
    OfferFactory(product=ProductFactory(sku="EXP-1"))
    exported = export(client, Offer, OfferResource)
    header, line = csv.reader(io.StringIO(exported.decode("utf-8-sig"), newline=""))
    assert header == [column.name for column in COLUMNS]
    assert line[0] == "EXP-1"
    assert import_offers(read_dataset(exported, "csv")).counts == {"new": 0, "updated": 0, "unchanged": 1}


def test_product_export_in_the_admin_has_the_product_columns(client, exporter):
    ProductFactory(sku="EXP-2", name="Glutamine Capsules")
    header, line = csv.reader(io.StringIO(export(client, Product, ProductResource).decode("utf-8-sig"), newline=""))
    assert header == [column.name for column in columns_of(Product)]
    assert dict(zip(header, line, strict=True))["product"] == "Glutamine Capsules"
