import pytest

from guides.outline import outline
from guides.parts import GUIDE_TEXT, PARTS
from guides.selectors import guide_page
from guides.tests.test_views import build_guide

pytestmark = pytest.mark.django_db

# Where on the page each piece of text the registry numbers citations in is shown.
SHOWN_IN = {
    "intro_html": "intro",
    "expert_take_html": "expert-take",
    "key_benefits": "key-benefits",
    "ranked_products": "ranked-products",
    "sections": "section-",
    "complaints": "complaints",
    "safety_warnings": "safety",
    "faqs": "faq",
    "citations": "references",
}


def test_every_part_and_text_of_the_registry_says_where_the_page_shows_it():
    assert {part.related_name for part in PARTS} | {name for name, _ in GUIDE_TEXT} == set(SHOWN_IN)


def test_citations_are_numbered_in_the_order_the_page_shows_the_blocks():
    """If the page's order changes, the registry's page_order must change with it (and this fails until it does)."""
    guide = guide_page(type(build_guide()).objects.all()).get()
    ranked = guide.ranked_products.all()
    page = ["intro", *(block.anchor for block in outline(guide, ranked_products=ranked, references=[1], changes=[]))]
    registry = sorted(
        [(order, name) for name, order in GUIDE_TEXT] + [(part.page_order, part.related_name) for part in PARTS],
    )
    positions = [next(i for i, anchor in enumerate(page) if anchor.startswith(SHOWN_IN[name])) for _, name in registry]
    assert positions == sorted(positions)
