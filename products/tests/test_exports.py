import csv
import io
from datetime import timedelta

import openpyxl
import pytest

from products.formats import CSV, XLSX
from products.models import Offer
from products.resources import OfferResource
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
