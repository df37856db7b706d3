"""A change empties the cached pages that show what changed, and leaves every other page cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.tests.factories import StudyFactory
from guides.models import SiteSettings
from guides.tests.factories import CitationFactory, FAQFactory, GuideFactory, RankedProductFactory
from products.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_guides():
    """Two published guides, each ranking its own product, with every page a reader can reach cached."""
    first, second = GuideFactory(title="First guide"), GuideFactory(title="Second guide")
    ranked = {guide: RankedProductFactory(guide=guide) for guide in (first, second)}
    offers = {guide: OfferFactory(product=ranked[guide].product, price="20.00") for guide in (first, second)}
    study = StudyFactory()
    CitationFactory(guide=first, study=study)
    pages = {
        "first guide": first.get_absolute_url(),
        "second guide": second.get_absolute_url(),
        "first product": ranked[first].product.get_absolute_url(),
        "second product": ranked[second].product.get_absolute_url(),
        "study": study.get_absolute_url(),
        "home": "/",
        "guide list": "/guides/",
        "product list": "/products/",
        "evidence library": "/evidence/",
        "search": "/search/?q=guide",
    }
    return {"first": first, "second": second, "offers": offers, "study": study, "pages": pages}


def rendered_again(client, pages):
    """The pages that were not answered from the cache (a cached page runs no query)."""
    rendered = set()
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        if queries:
            rendered.add(name)
    return rendered


def warm(client, pages):
    rendered_again(client, pages)
    assert rendered_again(client, pages) == set()


def test_a_new_price_empties_only_the_pages_that_show_that_product(client, two_guides):
    pages = two_guides["pages"]
    warm(client, pages)
    offer = two_guides["offers"][two_guides["first"]]
    offer.price = "18.50"
    offer.save()
    assert rendered_again(client, pages) == {"first guide", "first product", "product list", "search"}
    assert "18.50" in client.get(pages["first guide"]).content.decode()


def test_an_editor_saving_one_guide_empties_that_guide_and_the_pages_that_list_it(client, two_guides):
    pages = two_guides["pages"]
    warm(client, pages)
    FAQFactory(guide=two_guides["first"], question="Is it safe with food?")
    assert rendered_again(client, pages) == {"first guide", "first product", "study", "home", "guide list", "search"}
    assert "Is it safe with food?" in client.get(pages["first guide"]).content.decode()


def test_a_retitled_study_empties_the_guides_that_cite_it_and_the_evidence_library(client, two_guides):
    pages = two_guides["pages"]
    warm(client, pages)
    study = two_guides["study"]
    study.title = "A retitled trial of glutamine"
    study.save()
    rendered = rendered_again(client, pages)
    assert {"first guide", "study", "evidence library", "search"} <= rendered
    # The product page lists the guide (by title), so it follows the guide; nothing about the second guide does.
    assert rendered.isdisjoint({"second guide", "second product", "home", "guide list", "product list"})
    assert "A retitled trial of glutamine" in client.get(pages["first guide"]).content.decode()


def test_a_change_to_what_every_page_shows_empties_every_page(client, two_guides):
    pages = two_guides["pages"]
    warm(client, pages)
    site = SiteSettings.load()
    site.medical_disclaimer = "Ask your doctor first."
    site.save()
    assert rendered_again(client, pages) == set(pages)
