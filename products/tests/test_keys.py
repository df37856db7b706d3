"""Look-alike keys: a SKU, brand or merchant that looks the same is the same, and a mixed-alphabet SKU is refused."""

import pytest
from django.urls import reverse

from glutasite.tests.html_forms import form_data
from products.keys import normalise_key
from products.models import Brand, Merchant, Product
from products.tests.factories import BrandFactory
from products.tests.files import csv_bytes, nothing_written, row, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written",
    [
        "NOW-GLN\u200b-500",  # zero-width space
        "\ufeffNOW-GLN-500",  # a byte-order mark pasted in front
        "NOW-GLN-500\u00a0",  # no-break space
        "ＮＯＷ-GLN-500",  # full-width letters
        "NOW-GLN\u00ad-500",  # soft hyphen
    ],
)
def test_a_sku_with_invisible_or_compatibility_characters_matches_the_plain_one(written):
    run(csv_bytes([row(sku="NOW-GLN-500")]))
    report = run(csv_bytes([row(sku=written, price="31.00")]))
    assert report.ok, report.problems
    assert list(Product.objects.values_list("sku", flat=True)) == ["NOW-GLN-500"]
    assert report.counts == {"new": 0, "updated": 1, "unchanged": 0}


def test_brand_and_merchant_names_match_ignoring_invisible_characters_and_spaces():
    run(csv_bytes([row()]))
    report = run(csv_bytes([row(sku="B-2", product="Other", brand="NOW\u00a0\u00a0foods", merchant="Amazon\u200b US")]))
    assert report.ok, report.problems
    assert list(Brand.objects.values_list("name", flat=True)) == ["NOW Foods"]
    assert list(Merchant.objects.values_list("name", flat=True)) == ["Amazon US"]


def test_a_sku_mixing_alphabets_is_refused_naming_the_row_column_and_letters():
    report = run(csv_bytes([row(sku="GOOD-1"), row(sku="NОW-GLN", merchant="iHerb")]))  # a Cyrillic О
    assert nothing_written()
    assert [str(problem) for problem in report.problems] == [
        "Row 3, column “sku” (A): “NОW-GLN” mixes Latin and Cyrillic letters (О is Cyrillic). "
        "Type it again in one alphabet.",
    ]


def test_normalising_keeps_what_people_see():
    assert normalise_key("  L-Glutamine\u2060 Powder\t 500 g ") == "L-Glutamine Powder 500 g"
    assert normalise_key("Nature’s Way") == "Nature’s Way"


def add_product(client, sku):
    url = reverse("admin:products_product_add")
    fields = form_data(client.get(url).content.decode(), "product_form") | {
        "brand": str(BrandFactory().pk),
        "name": "L-Glutamine Powder",
        "slug": f"l-glutamine-powder-{len(sku)}",
        "sku": sku,
        "form": "powder",
        "serving_size": "1 scoop (5 g)",
        "amount_per_serving": "5",
        "amount_unit": "g",
        "servings_per_container": "100",
    }
    return client.post(url, fields)


def test_the_admin_product_form_writes_the_sku_as_the_import_does(admin_client):
    assert add_product(admin_client, "NOW-GLN\u200b-500\u00a0").status_code == 302
    assert Product.objects.get().sku == "NOW-GLN-500"
    response = add_product(admin_client, "NOW-GLN\u200c-500")
    assert "Product with this SKU already exists." in response.content.decode()
    response = add_product(admin_client, "NОW-GLN")
    assert response.context["adminform"].form.errors["sku"] == [
        "“NОW-GLN” mixes Latin and Cyrillic letters (О is Cyrillic). Type it again in one alphabet.",
    ]
