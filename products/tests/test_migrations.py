from datetime import UTC, datetime, timedelta
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


def test_repeated_price_history_rows_are_removed_and_every_other_row_kept(migrate_to):
    old_apps = migrate_to([("products", "0006_history")])
    brand = old_apps.get_model("products", "Brand").objects.create(name="B", slug="b")
    merchant = old_apps.get_model("products", "Merchant").objects.create(name="M", slug="m")
    product = old_apps.get_model("products", "Product").objects.create(
        sku="S",
        brand=brand,
        name="P",
        slug="p",
        form="powder",
        serving_size="1 scoop",
        amount_per_serving=Decimal("5"),
        servings_per_container=10,
    )
    offer = old_apps.get_model("products", "Offer").objects.create(
        product=product,
        merchant=merchant,
        price=Decimal("9.99"),
        affiliate_url="https://shop.example.com/1",
    )
    PriceHistory = old_apps.get_model("products", "PriceHistory")
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    seen = {"offer": offer, "checked_at": at, "currency": "USD"}
    first = PriceHistory.objects.create(**seen, price=Decimal("9.99"), source="import")
    PriceHistory.objects.create(**seen, price=Decimal("9.99"), source="admin")  # the same observation again
    PriceHistory.objects.create(**seen, price=Decimal("9.99"), source="import")
    other_price = PriceHistory.objects.create(**seen, price=Decimal("8.99"), source="import")
    other_currency = PriceHistory.objects.create(**(seen | {"currency": "EUR"}), price=Decimal("9.99"), source="import")
    later = PriceHistory.objects.create(**(seen | {"checked_at": at + timedelta(hours=1)}), price=9, source="import")

    new_apps = migrate_to([("products", "0007_price_history_one_row_per_observation")])
    kept = new_apps.get_model("products", "PriceHistory").objects.order_by("pk")
    assert list(kept.values_list("pk", "source")) == [
        (first.pk, "import"),
        (other_price.pk, "import"),
        (other_currency.pk, "import"),
        (later.pk, "import"),
    ]
