"""The offer form and the spreadsheet import follow outbound's one rule for shop addresses."""

import pytest
from django.core.exceptions import ValidationError

from products.cells import CellError, parse_affiliate_url
from products.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_allowed(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]


def test_the_offer_form_and_the_importer_follow_the_same_rule(local_allowed, settings):
    offer = OfferFactory.build(affiliate_url="http://127.0.0.1:8012/go/demo")
    offer.clean_fields(exclude=["product", "merchant"])
    assert parse_affiliate_url("http://127.0.0.1:8012/go/demo") == "http://127.0.0.1:8012/go/demo"
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError):
        offer.clean_fields(exclude=["product", "merchant"])
    with pytest.raises(CellError, match="is not secure. Affiliate links must start with https://"):
        parse_affiliate_url("http://127.0.0.1:8012/go/demo")
