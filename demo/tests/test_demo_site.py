"""The demo looks like a real site: five guides in four categories, an article, photos, history, shop links."""

import re

import pytest
from django.core.management import call_command

from evidence.models import Study
from guides.models import Guide, GuideRevision, Reviewer
from products.models import Merchant, PriceHistory, Product, ShopLink

pytestmark = pytest.mark.django_db

ARTICLE = "/guides/l-glutamine-and-leaky-gut/"


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_guides_in_several_categories_and_an_article(demo):
    guides = Guide.objects.published()
    assert guides.count() == 5
    assert guides.values("category__parent").distinct().count() == 4
    article = guides.get(kind=Guide.Kind.ARTICLE)
    assert not article.ranked_products.exists()
    assert all(guide.typical_dose for guide in guides)


def test_the_article_puts_the_free_guide_box_where_the_seed_has_its_lead_magnet(client, demo):
    html = client.get(ARTICLE).content.decode()
    body = html[html.index('<div class="intro">') : html.index("</article>")]
    first_box = body.index('<div class="signup-box"')
    assert body.index("What people mean by “leaky gut”") < first_box < body.index("What makes the gut barrier leakier")
    assert body.count('<div class="signup-box"') == 2  # after the first section and at the end, as in the seed
    assert body.rindex('<div class="signup-box"') > body.index("The short version")
    assert "Get the free guide to 30 gut-friendly foods" in body
    assert "<form" not in body


def test_the_articles_references_are_the_confirmed_ones_from_the_seed(demo):
    article = Guide.objects.get(slug="l-glutamine-and-leaky-gut")
    cited = set(article.citations.values_list("study__pmid", flat=True))
    assert {"22109896", "28498331", "30360490", "33745622", "36106146"} <= cited
    assert "8098459" not in cited  # the seed's wrong number for the van der Hulst trial (8098788)
    assert Study.objects.get(pmid="30360490").pmcid == "PMC6266414"
    assert Study.objects.get(pmid="36106146").doi == "10.1080/23328940.2021.2015227"


def test_every_demo_study_is_cited_somewhere_and_claims_are_graded(demo):
    uncited = Study.objects.filter(citations=None, claim_links=None)
    assert not uncited.exists(), list(uncited)


def test_products_and_reviewers_have_drawn_photos_with_sizes(demo):
    assert not Product.objects.filter(image="").exists()
    assert not Product.objects.filter(image_width=None).exists()
    assert Reviewer.objects.exclude(photo="").count() == 2
    assert set(Reviewer.objects.values_list("photo_width", flat=True)) == {720}  # copies at 240, 480 and 720


def test_the_guide_page_shows_product_photos_and_the_reviewer_portrait(client, demo):
    html = client.get("/guides/l-glutamine-for-gut-health/").content.decode()
    assert re.search(r'<img src="/media/products/[^"]+\.240w\.webp"[^>]*class="ranked-product-photo"', html)
    assert re.search(r'<img src="/media/reviewers/dana-reyes[^"]*\.240w\.webp"[^>]*class="byline-portrait"', html)


def test_published_notes_fill_what_changed(client, demo):
    assert GuideRevision.objects.notes_for_readers().count() >= 5
    html = client.get("/what-changed/").content.decode()
    assert "Clearwell Glutamine moved from #3 to #2" in html


def test_merchants_know_their_domains_and_text_links_go_through_go(client, demo):
    assert Merchant.objects.get(name="iHerb").sells_at("www.iherb.com")
    assert ShopLink.objects.filter(merchant__name="iHerb").count() == 2
    html = client.get("/guides/creatine-for-strength/").content.decode()
    assert re.search(r'<a href="/go/[^"]+/" rel="sponsored noopener" class="shop-link">at iHerb</a>', html)
    assert "www.iherb.com" not in html


def test_top_products_have_a_price_history_to_chart(client, demo):
    product = Product.objects.get(sku="DEMO-NFL-GLN-500")
    assert PriceHistory.objects.filter(offer__product=product).count() >= 4
    assert "<svg" in client.get(product.get_absolute_url()).content.decode()
