"""Where products meet guides: a product page lists the guides that rank it, and /go/ names the guide a
click came from only when that guide exists."""

import re

import pytest

from guides.models import Guide
from guides.tests.factories import GuideFactory, RankedProductFactory
from products.models import AffiliateClick
from products.tests.factories import OfferFactory, ProductFactory
from products.tests.test_views import go

pytestmark = pytest.mark.django_db


def guide(slug):
    return GuideFactory(slug=slug)


def test_product_page_lists_published_guides_that_rank_it(client):
    product = ProductFactory()
    RankedProductFactory(product=product, rank=2, guide__title="Creatine for strength")
    RankedProductFactory(product=product, guide__title="Unfinished", guide__status=Guide.Status.DRAFT)
    html = client.get(product.get_absolute_url()).content.decode()
    assert re.search(r"#2 in <a href=\"/guides/[^\"]+/\">Creatine for strength</a>", html)
    assert "Unfinished" not in html


def test_go_redirects_to_the_stored_link_and_counts_the_click(client):
    guide("l-glutamine-for-gut-health")
    offer = OfferFactory(affiliate_url="https://www.amazon.com/dp/B0013OXKHC?tag=glutasite-20")
    response = go(client, offer, "?from=/guides/l-glutamine-for-gut-health/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.amazon.com/dp/B0013OXKHC?tag=glutasite-20"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    click = AffiliateClick.objects.get()
    assert (click.offer, click.guide_slug) == (offer, "l-glutamine-for-gut-health")
    assert click.referrer_path == "/guides/l-glutamine-for-gut-health/"


def test_go_takes_the_guide_from_our_own_referer(client):
    guide("creatine")
    offer = OfferFactory()
    go(client, offer, Referer="http://testserver/guides/creatine/")
    go(client, offer, Referer="https://elsewhere.example/guides/creatine/")
    assert list(AffiliateClick.objects.order_by("pk").values_list("guide_slug", flat=True)) == ["creatine", ""]


def test_go_counts_a_click_from_a_guide_that_does_not_exist_without_a_guide(client):
    offer = OfferFactory()
    response = go(client, offer, "?from=/guides/no-such-guide/")
    assert response.status_code == 302
    click = AffiliateClick.objects.get()
    assert (click.referrer_path, click.guide_slug) == ("", "")
