"""The column registry is the only list of columns: the template, the header check, the parsers, the
values given to products and offers, the same-SKU check and the exports all follow it."""

import csv
import io
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from products import columns
from products.cells import Cells, text
from products.columns import COLUMNS, Column, columns_of
from products.exports import CSV, OfferResource, ProductResource
from products.importing import import_offers
from products.models import Offer, Product
from products.spreadsheets import read_dataset
from products.tests.factories import ProductFactory
from products.tests.files import csv_bytes

pytestmark = pytest.mark.django_db

TEMPLATE = reverse("admin:products_product_import_template", args=["xlsx"])


def template(client):
    """The template download's header and example row, as staff open it."""
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(TEMPLATE).content)).active
    header, example = ([cell.value for cell in line] for line in sheet.iter_rows(max_row=2))
    return header, example


def imported(data, file_format="xlsx"):
    report = import_offers(read_dataset(data, file_format), at=timezone.now())
    assert report.ok, [str(problem) for problem in report.problems]
    return Offer.objects.select_related("product__brand", "merchant").get()


def exported(resource, queryset):
    dataset = CSV().export_data(resource().export(queryset)).removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(dataset, newline="")))


@pytest.mark.parametrize("column", COLUMNS, ids=[column.name for column in COLUMNS])
def test_every_column_goes_from_the_template_to_its_field_and_back_out_in_the_export(client, importer, column):
    header, example = template(client)
    assert header == [c.name for c in COLUMNS]
    assert text(example[header.index(column.name)]) == text(column.example)

    offer = imported(client.get(TEMPLATE).content)
    obj = offer.product if column.model is Product else offer
    cells = Cells(dict(zip(header, example, strict=True)), timezone.now())
    for field, value in column.model_values(column.parser(column.example, cells)).items():
        stored = getattr(obj, field)
        assert (stored.name if column.names_an_object else stored) == value

    [offer_row] = exported(OfferResource, Offer.objects.all())
    assert offer_row[column.name] == text(column.exported(obj))
    if column.model is Product:
        [product_row] = exported(ProductResource, Product.objects.all())
        assert product_row[column.name] == offer_row[column.name]


@pytest.mark.parametrize(
    "column",
    [column for column in columns_of(Product) if not column.identifies],
    ids=lambda column: column.name,
)
def test_rows_of_one_sku_that_disagree_in_any_product_column_are_refused(client, importer, column):
    header, example = template(client)
    other = ProductFactory.build(
        form=Product.Form.CAPSULE,
        amount_per_serving=Decimal("500"),
        amount_unit=Product.Unit.MG,
        servings_per_container=60,
    )
    second = dict(zip(header, example, strict=True)) | {"merchant": "iHerb", column.name: column.exported(other)}
    report = import_offers(read_dataset(csv_bytes([example, list(second.values())], header=header), "csv"))
    assert [(problem.row, problem.column) for problem in report.problems] == [(3, column.name)]
    assert (
        "for the same SKU NOW-GLN-500. Rows for one SKU must describe the same product." in report.problems[0].message
    )


IMAGE_DESCRIPTION = Column(
    "image_description",
    "What the product photo shows, for readers who cannot see it.",
    text,
    "The tub from the front",
    Product,
    fields=("image_alt",),
    required=False,
)


@pytest.fixture
def registry_with_a_new_column(monkeypatch):
    monkeypatch.setattr(columns, "COLUMNS", (*COLUMNS, IMAGE_DESCRIPTION))
    return columns.COLUMNS


def test_a_column_added_to_the_registry_is_in_the_page_the_template_the_import_and_the_exports(
    client,
    importer,
    registry_with_a_new_column,
):
    assert "<code>image_description</code>" in client.get(reverse("admin:products_product_import")).content.decode()
    header, example = template(client)
    assert (header[-1], example[-1]) == ("image_description", "The tub from the front")

    offer = imported(client.get(TEMPLATE).content)
    assert offer.product.image_alt == "The tub from the front"

    assert exported(OfferResource, Offer.objects.all())[0]["image_description"] == "The tub from the front"
    assert exported(ProductResource, Product.objects.all())[0]["image_description"] == "The tub from the front"

    disagreeing = [*example[:8], "iHerb", *example[9:-1], "The tub from the back"]
    report = import_offers(read_dataset(csv_bytes([example, disagreeing], header=header), "csv"))
    assert [str(problem) for problem in report.problems] == [
        "Row 3, column “image_description” (O): says “The tub from the back” but row 2 says “The tub from the front” "
        "for the same SKU NOW-GLN-500. Rows for one SKU must describe the same product.",
    ]


def test_an_optional_column_left_out_of_the_header_reads_as_empty(registry_with_a_new_column):
    header = [column.name for column in COLUMNS]
    report = import_offers(read_dataset(csv_bytes([list(columns.example_row().values())[:-1]], header=header), "csv"))
    assert report.ok, report.problems
    assert Product.objects.get().image_alt == ""


def test_a_required_column_added_to_the_registry_must_be_in_the_header(registry_with_a_new_column, monkeypatch):
    monkeypatch.setattr(columns, "COLUMNS", (*COLUMNS, replace(IMAGE_DESCRIPTION, required=True)))
    header = [column.name for column in COLUMNS]
    report = import_offers(read_dataset(csv_bytes([list(columns.example_row().values())[:-1]], header=header), "csv"))
    assert str(report.problems[0]) == "Row 1, column “image_description”: is missing from the header row."
