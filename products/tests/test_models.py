from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from products.models import CLOCK_SKEW, Offer, best_offer
from products.tests.factories import MerchantFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_negative_price_is_refused_by_validation_and_database():
    offer = OfferFactory.build(product=ProductFactory(), merchant=MerchantFactory(), price=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "price" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        offer.save()


def test_affiliate_link_must_be_https():
    offer = OfferFactory.build(
        product=ProductFactory(),
        merchant=MerchantFactory(),
        affiliate_url="http://shop.example.com/item",
    )
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "affiliate_url" in error.value.message_dict


def test_price_cannot_be_checked_in_the_future():
    offer = OfferFactory.build(
        product=ProductFactory(),
        merchant=MerchantFactory(),
        price_checked_at=timezone.now() + timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "price_checked_at" in error.value.message_dict


@pytest.mark.parametrize(("ahead", "refused"), [(CLOCK_SKEW - timedelta(minutes=1), False), (CLOCK_SKEW * 2, True)])
def test_a_check_time_a_few_minutes_ahead_is_allowed_for_clocks_that_disagree(ahead, refused):
    offer = OfferFactory.build(
        product=ProductFactory(),
        merchant=MerchantFactory(),
        price_checked_at=timezone.now() + ahead,
    )
    errors = {}
    try:
        offer.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    assert ("price_checked_at" in errors) is refused


def test_price_per_serving_divides_price_by_servings():
    offer = OfferFactory(price=Decimal("34.99"), product=ProductFactory(servings_per_container=100))
    assert offer.price_per_serving == Decimal("0.35")


def test_one_offer_per_product_and_merchant():
    offer = OfferFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(product=offer.product, merchant=offer.merchant)


def test_stale_price_is_hidden_one_minute_after_the_merchant_limit():
    now = timezone.now()
    merchant = MerchantFactory(name="Amazon US", price_max_age=timedelta(hours=24))
    fresh = OfferFactory(merchant=merchant, price_checked_at=now - timedelta(hours=24) + timedelta(minutes=1))
    stale = OfferFactory(merchant=merchant, price_checked_at=now - timedelta(hours=24) - timedelta(minutes=1))
    assert list(Offer.objects.fresh(at=now)) == [fresh]
    assert list(Offer.objects.stale(at=now)) == [stale]


def test_freshness_limit_is_per_merchant():
    now = timezone.now()
    weekly = MerchantFactory(name="Brand shop", price_max_age=timedelta(days=7))
    offer = OfferFactory(merchant=weekly, price_checked_at=now - timedelta(days=3))
    assert list(Offer.objects.fresh(at=now)) == [offer]


def test_best_offer_prefers_in_stock_and_fresh_over_cheap():
    now = timezone.now()
    product = ProductFactory()
    OfferFactory(product=product, merchant=MerchantFactory(name="A"), price=Decimal("10"), in_stock=False)
    OfferFactory(
        product=product,
        merchant=MerchantFactory(name="B"),
        price=Decimal("12"),
        price_checked_at=now - timedelta(days=3),
    )
    chosen = OfferFactory(product=product, merchant=MerchantFactory(name="C"), price=Decimal("20"))
    assert best_offer(Offer.objects.with_freshness(at=now)) == chosen


def test_dose_per_serving_reads_like_a_label():
    assert ProductFactory(amount_per_serving=Decimal("5.000"), amount_unit="g").dose_per_serving == "5 g"
    assert ProductFactory(amount_per_serving=Decimal("0.500"), amount_unit="mg").dose_per_serving == "0.5 mg"


def test_a_buyable_offer_is_shown_in_stock_and_fresh():
    now = timezone.now()
    buyable = OfferFactory(merchant=MerchantFactory(name="Buyable"))
    OfferFactory(merchant=MerchantFactory(name="Out of stock"), in_stock=False)
    OfferFactory(merchant=MerchantFactory(name="Hidden"), is_active=False)
    OfferFactory(merchant=MerchantFactory(name="Stale"), price_checked_at=now - timedelta(days=2))
    assert list(Offer.objects.buyable(at=now)) == [buyable]
    assert {o.merchant.name: o.is_buyable for o in Offer.objects.with_freshness(at=now)} == {
        "Buyable": True,
        "Out of stock": False,
        "Hidden": False,
        "Stale": False,
    }


def test_best_offer_is_the_cheapest_buyable_one():
    now = timezone.now()
    product = ProductFactory()
    OfferFactory(product=product, merchant=MerchantFactory(name="A"), price=Decimal("9"), is_active=False)
    OfferFactory(product=product, merchant=MerchantFactory(name="B"), price=Decimal("25"))
    chosen = OfferFactory(product=product, merchant=MerchantFactory(name="C"), price=Decimal("20"))
    assert best_offer(Offer.objects.with_freshness(at=now)) == chosen
