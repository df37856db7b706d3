from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_TOKENS = [("products", "0001_initial")]
AFTER_TOKENS = [("products", "0004_offer_token_unique")]


def test_existing_offers_get_distinct_tokens(migrate_to):
    old_apps = migrate_to(BEFORE_TOKENS)
    brand = old_apps.get_model("products", "Brand").objects.create(name="B", slug="b")
    merchant = old_apps.get_model("products", "Merchant").objects.create(name="M", slug="m")
    Product = old_apps.get_model("products", "Product")
    Offer = old_apps.get_model("products", "Offer")
    for n in range(3):
        product = Product.objects.create(
            sku=f"S{n}",
            brand=brand,
            name=f"P{n}",
            slug=f"p{n}",
            form="powder",
            serving_size="1 scoop",
            amount_per_serving=Decimal("5"),
            servings_per_container=10,
        )
        Offer.objects.create(
            product=product,
            merchant=merchant,
            price=Decimal("9.99"),
            affiliate_url=f"https://shop.example.com/{n}",
        )
    new_apps = migrate_to(AFTER_TOKENS)
    tokens = list(new_apps.get_model("products", "Offer").objects.values_list("token", flat=True))
    assert len(set(tokens)) == 3
    assert all(tokens)
