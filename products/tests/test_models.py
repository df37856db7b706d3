from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from products.models import Offer, best_offer
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
