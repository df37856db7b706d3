"""A reader's guide page keeps its text between requests and draws its prices on every one."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guides.tests.factories import CitationFactory, SectionFactory
from guides.tests.test_views import build_guide
from products.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request reaches the view, as when the page cache is cold."""
    settings.READER_PAGE_CACHE_SECONDS = 0


def test_the_page_drawn_from_kept_text_is_the_page_drawn_in_full(client):
    guide = build_guide(products=3, studies=4)
    CitationFactory(guide=guide)
    full = client.get(guide.get_absolute_url()).content.decode()
    assert client.get(guide.get_absolute_url()).content.decode() == full
    assert "<!--" not in full.split("<body", 1)[1]  # no marker left behind


def test_later_requests_run_three_queries_whatever_the_guide_size(client, django_assert_max_num_queries):
    small, large = build_guide(products=2, studies=2), build_guide(products=30, studies=40)
    for guide in (small, large):
        client.get(guide.get_absolute_url())
        with django_assert_max_num_queries(3):
            assert client.get(guide.get_absolute_url()).status_code == 200


def test_a_price_written_behind_every_cache_shows_on_the_next_request(client):
    guide = build_guide(products=1, studies=1)
    offer = Offer.objects.get(product__rankings__guide=guide)
    assert "12.34" not in client.get(guide.get_absolute_url()).content.decode()
    # Written in bulk, as a feed writes: no signal, no new content version; only the price is new.
    Offer.objects.filter(pk=offer.pk).update(price=Decimal("12.34"), price_checked_at=timezone.now())
    assert "12.34" in client.get(guide.get_absolute_url()).content.decode()


def test_a_price_that_goes_stale_is_hidden_on_the_next_request(client):
    guide = build_guide(products=1, studies=1)
    offer = Offer.objects.get(product__rankings__guide=guide)
    Offer.objects.filter(pk=offer.pk).update(price=Decimal("23.45"), price_checked_at=timezone.now())
    assert "23.45" in client.get(guide.get_absolute_url()).content.decode()
    Offer.objects.filter(pk=offer.pk).update(price_checked_at=timezone.now() - timedelta(days=3))
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "23.45" not in html
    assert "Check current price" in html


def test_an_edit_to_the_text_shows_on_the_next_request(client):
    guide = build_guide(products=1, studies=1)
    client.get(guide.get_absolute_url())
    SectionFactory(guide=guide, heading="A section added after the first reader")
    assert "A section added after the first reader" in client.get(guide.get_absolute_url()).content.decode()


def test_editor_text_cannot_stand_in_for_a_price_block(client):
    guide = build_guide(products=1, studies=1)
    client.get(guide.get_absolute_url())
    SectionFactory(guide=guide, heading="Tricky", body="<!--ranked-products--> and `<!--x:ranked-products-->`")
    html = client.get(guide.get_absolute_url()).content.decode()
    assert html.count('class="ranked-product"') == 1
