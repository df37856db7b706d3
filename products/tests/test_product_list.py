"""/products/: every product with its price per serving, filtered by form and testing, sorted by price."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from products.models import PriceHistory, Product
from products.tests.factories import MerchantFactory, OfferFactory, ProductFactory, jpeg

pytestmark = pytest.mark.django_db


def names(client, query=""):
    html = client.get(f"/products/{query}").content.decode()
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def shelf():
    """Three products whose prices per serving are $0.50, $0.20 and none a reader can buy."""
    powder = ProductFactory(
        name="Powder", form=Product.Form.POWDER, servings_per_container=100, certifications="NSF Certified for Sport"
    )
    capsules = ProductFactory(
        name="Capsules",
        form=Product.Form.CAPSULE,
        servings_per_container=50,
        certifications="Informed Sport; USP Verified",
    )
    stale = ProductFactory(name="Gummies", form=Product.Form.GUMMY, certifications="")
    OfferFactory(product=powder, price=Decimal("50.00"))
    OfferFactory(product=capsules, price=Decimal("10.00"))
    OfferFactory(product=stale, price=Decimal("1.00"), price_checked_at=timezone.now() - timedelta(days=3))
    return powder, capsules, stale


def test_products_are_sorted_by_price_per_serving_with_unpriced_ones_last(client, shelf):
    assert [n.split(" ", 2)[-1] for n in names(client)] == ["Capsules", "Powder", "Gummies"]
    html = client.get("/products/").content.decode()
    assert '<strong>$0.20 <abbr title="USD">USD</abbr></strong> a serving at Amazon US' in html
    assert "Check current price" in html  # the stale price is not shown


def test_products_can_be_sorted_by_name(client, shelf):
    shown = names(client, "?sort=name")
    assert shown == sorted(shown)


def test_products_filter_by_form(client, shelf):
    assert [n.split(" ", 2)[-1] for n in names(client, "?form=capsule")] == ["Capsules"]


def test_products_filter_by_one_certification_or_any(client, shelf):
    assert [n.split(" ", 2)[-1] for n in names(client, "?certification=USP+Verified")] == ["Capsules"]
    assert [n.split(" ", 2)[-1] for n in names(client, "?certification=NSF+Certified+for+Sport")] == ["Powder"]
    assert [n.split(" ", 2)[-1] for n in names(client, "?certification=tested")] == ["Capsules", "Powder"]
    html = client.get("/products/").content.decode()
    assert '<option value="Informed Sport">Informed Sport</option>' in html


def test_a_certification_name_inside_another_does_not_match(client):
    ProductFactory(name="Sport only", certifications="NSF Certified for Sport")
    assert names(client, "?certification=NSF+Certified") == []


def test_an_unknown_filter_value_shows_nothing_rather_than_fail(client, shelf):
    response = client.get("/products/?form=tincture&certification=%3Cscript%3E")
    assert response.status_code == 200
    assert "No product matches these filters." in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_products_query_count_does_not_grow_with_the_catalogue(client, django_assert_max_num_queries, count):
    for n in range(count):
        product = ProductFactory(certifications=f"Seal {n}")
        OfferFactory(product=product)
        OfferFactory(product=product, merchant=MerchantFactory(name=f"Shop {n}"))
    with django_assert_max_num_queries(4):
        response = client.get("/products/")
    assert response.content.decode().count('class="product-card"') == min(count, 24)


def test_one_price_check_draws_no_chart_and_says_why(client):
    offer = OfferFactory(price=Decimal("30.00"))
    html = client.get(offer.product.get_absolute_url()).content.decode()
    assert "<svg" not in html
    assert "The chart appears once a shop's price has been checked at least twice." in html


def test_the_chart_axis_labels_are_text_beside_the_drawing_not_inside_it(client):
    offer = OfferFactory(price=Decimal("30.00"), price_checked_at=timezone.now() - timedelta(hours=1))
    PriceHistory.objects.create(
        offer=offer,
        price=Decimal("34.00"),
        currency="USD",
        checked_at=timezone.now() - timedelta(days=20),
        source="import",
    )
    html = client.get(offer.product.get_absolute_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" not in svg  # SVG text would shrink with the drawing on a phone
    labels = re.findall(r'<span class="tick-\d">([^<]+)</span>', html)
    assert labels == ["$35.00", "$32.00", "$29.00"]
    dates = re.search(r'<p class="chart-x" aria-hidden="true"><span>([^<]+)</span><span>([^<]+)</span></p>', html)
    assert dates.group(1) != dates.group(2)


def test_product_page_shows_its_photo_with_copies_and_size(client):
    product = ProductFactory(image_alt="The tub from the front")
    product.image.save("tub.jpg", jpeg((960, 960)))
    html = client.get(product.get_absolute_url()).content.decode()
    assert re.search(
        r'<img src="/media/products/tub[^"]*\.240w\.webp" srcset="[^"]+ 240w, [^"]+ 480w, [^"]+ 960w"', html
    )
    assert 'width="240" height="240" alt="The tub from the front" class="product-photo"' in html
