import pytest
from django.urls import reverse

from bench.dataset import Sizes, build_dataset, expected_counts, is_built
from guides.models import Citation, Guide, RankedProduct

pytestmark = pytest.mark.django_db

TINY = Sizes(guides=3, products=40, offers_per_product=4, studies=60, ranked_per_guide=2, references_per_guide=3)


def test_builds_every_guide_product_offer_and_study_it_is_asked_for():
    assert (
        build_dataset(TINY)
        == expected_counts(TINY)
        == {
            "published guides": 3,
            "products": 40,
            "offers": 160,
            "studies": 60,
        }
    )
    assert is_built(TINY)
    assert not is_built(Sizes())


def test_guides_rank_products_and_cite_the_studies_their_text_marks():
    build_dataset(TINY)
    guide = Guide.objects.published().order_by("pk").first()

    assert RankedProduct.objects.filter(guide=guide).count() == 2
    assert Citation.objects.filter(guide=guide).count() == 3
    assert '<sup class="citation" data-study="' in guide.intro_html


def test_a_built_guide_page_shows_numbered_references(client):
    build_dataset(TINY)
    guide = Guide.objects.published().order_by("pk").first()

    response = client.get(reverse("guides:guide_detail", kwargs={"slug": guide.slug}))

    assert response.status_code == 200
    assert guide.title in response.text
    assert 'href="#ref-1"' in response.text
