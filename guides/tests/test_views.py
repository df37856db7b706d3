import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence.tests.factories import StudyFactory
from guides.models import Guide, SafetyWarning
from guides.tests.factories import (
    CitationFactory,
    ComplaintFactory,
    FAQFactory,
    GuideFactory,
    KeyBenefitFactory,
    RankedProductFactory,
    SafetyWarningFactory,
    SectionFactory,
)
from products.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def build_guide(*, products=4, studies=3, **kwargs):
    guide = GuideFactory(expert_take="Glutamine is worth a try for most adults.", **kwargs)
    KeyBenefitFactory(guide=guide, title="Fuels the gut lining")
    for rank in range(1, products + 1):
        ranked = RankedProductFactory(guide=guide, rank=rank, award="Best overall" if rank == 1 else "")
        OfferFactory(product=ranked.product)
    SectionFactory(guide=guide, heading="How it works", body="Glutamine feeds **enterocytes**.")
    ComplaintFactory(guide=guide, complaint="It upset my stomach", answer="Split the dose.")
    SafetyWarningFactory(guide=guide, severity=SafetyWarning.Severity.CRITICAL, text="Not with active cancer.")
    SafetyWarningFactory(guide=guide, severity=SafetyWarning.Severity.INFO, text="Mix into cool drinks.")
    FAQFactory(guide=guide, question="When should I take it?", answer="Any time of day.")
    for _ in range(studies):
        CitationFactory(guide=guide, study=StudyFactory())
    return guide


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def main_text(response):
    """The page's <main>, where the reader's content is."""
    html = page_text(response)
    return html[html.index('<main id="main"') :]


def test_guide_page_shows_every_block_in_reference_order(client):
    guide = build_guide()
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    html = main_text(response)
    blocks = [
        "Limited evidence",
        guide.category.name,
        "4 products compared",
        f"<h1>{guide.title}</h1>",
        f'Reviewed by <a href="/reviewers/{guide.reviewer.slug}/">{guide.reviewer.name}</a>, RND',
        "Licence #0012345",
        "Published <time datetime=",
        "Updated <time datetime=",
        "Last reviewed <time datetime=",
        "Affiliate disclosure:",  # before the first shop link, which the box below links to
        "At a glance",
        "L-glutamine fuels the cells lining the gut.",
        "not medical advice",
        "Key benefits",
        "Fuels the gut lining",
        "Our ranked picks",
        "#1</span>",
        "Best overall",
        "Price checked <time datetime=",
        "Comparison table",
        "Price per serving",
        "How it works",
        "Glutamine feeds <strong>enterocytes</strong>.",
        "Common complaints",
        "It upset my stomach",
        "Safety and interactions",
        "Critical safety warning",
        "Expert take",
        "Glutamine is worth a try for most adults.",
        "Frequently asked questions",
        "When should I take it?",
        "References",
        'id="ref-3"',
        "Shop #1 pick",
        f'href="/guides/{guide.slug}/report/"',
    ]
    html = re.sub(r'<nav class="toc".*?</nav>', "", html, flags=re.DOTALL)  # its links name the blocks below
    positions = [html.find(block) for block in blocks]
    missing = [block for block, pos in zip(blocks, positions, strict=True) if pos == -1]
    assert not missing
    assert positions == sorted(positions), "blocks are out of the reference guide's order"
    assert "Invalid Date" not in html


def test_critical_warning_is_announced_and_others_are_not(client):
    guide = build_guide()
    html = page_text(client.get(guide.get_absolute_url()))
    assert re.search(r'class="warning warning-critical" id="warning-\d+" role="alert"', html)
    assert not re.search(r'class="warning warning-info"[^>]*role="alert"', html)


def test_every_affiliate_link_is_sponsored_and_follows_the_disclosure(client):
    guide = build_guide()
    html = page_text(client.get(guide.get_absolute_url()))
    links = re.findall(r'<a [^>]*href="/go/[^"]*"[^>]*>', html)
    assert len(links) == 5  # one per ranked product and the #1-pick button
    assert all('rel="sponsored noopener"' in link for link in links)
    assert "https://shop.example.com" not in html  # every shop link goes through /go/
    assert html.count("Affiliate disclosure:") == 1
    assert html.find("Affiliate disclosure:") < html.find('href="/go/')


def test_references_list_authors_title_journal_year_and_links(client):
    study = StudyFactory(
        authors="van der Hulst RR, van Kreel BK",
        title="Glutamine and the preservation of gut integrity",
        journal="Lancet",
        year=1993,
        pmid="8098788",
        doi="10.1016/0140-6736(93)90939-e",
    )
    guide = build_guide(studies=0)
    CitationFactory(guide=guide, study=study)
    html = page_text(client.get(guide.get_absolute_url()))
    assert "van der Hulst RR, van Kreel BK. <cite>Glutamine and the preservation of gut integrity</cite>" in html
    assert "<i>Lancet</i>. 1993." in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/8098788/"' in html
    assert 'href="https://doi.org/10.1016/0140-6736(93)90939-e"' in html


def test_draft_guide_is_not_found_for_readers(client):
    guide = build_guide(status=Guide.Status.DRAFT, published_at=None)
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_guide_scheduled_for_later_is_not_found_for_readers(client):
    guide = build_guide(published_at=timezone.now() + timedelta(days=1))
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_staff_see_draft_with_banner(editor_client):
    guide = build_guide(status=Guide.Status.DRAFT, published_at=None)
    response = editor_client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert "<strong>Draft</strong>" in page_text(response)


def test_published_guide_has_no_draft_banner_for_staff(editor_client):
    guide = build_guide()
    assert "<strong>Draft</strong>" not in page_text(editor_client.get(guide.get_absolute_url()))


def test_stale_price_is_hidden_but_link_still_works(client):
    guide = build_guide(products=1)
    offer = guide.ranked_products.get().product.offers.get()
    offer.price_checked_at = timezone.now() - timedelta(hours=25)
    offer.save()
    html = page_text(client.get(guide.get_absolute_url()))
    assert "Check current price" in html
    assert f"${offer.price}" not in html
    assert f'href="/go/{offer.token}/' in html


def test_editor_markup_is_rendered_inert(client):
    guide = build_guide(
        intro='Hello <script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>'
    )
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(("products", "studies"), [(4, 3), (40, 60)])
def test_guide_page_query_count_does_not_grow_with_content(client, django_assert_max_num_queries, products, studies):
    guide = build_guide(products=products, studies=studies)
    # The first request after a change: the guide, its next scheduled change, and one query per part;
    # later requests run three (guides/tests/test_prerendered.py).
    with django_assert_max_num_queries(13):
        response = client.get(guide.get_absolute_url())
    assert response.content.decode().count('class="ranked-product"') == products
    assert response.content.decode().count('<li id="ref-') == studies


def test_guide_page_query_count_is_identical_for_small_and_large_guides(client):
    small = build_guide(products=4, studies=3)
    large = build_guide(products=40, studies=60)
    with CaptureQueriesContext(connection) as small_queries:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as large_queries:
        client.get(large.get_absolute_url())
    assert len(small_queries) == len(large_queries)


def test_home_lists_published_guides_only(client):
    live = GuideFactory(title="Creatine for strength")
    GuideFactory(title="Unfinished magnesium guide", status=Guide.Status.DRAFT, published_at=None)
    html = page_text(client.get(reverse("readers:home")))
    assert live.title in html
    assert "Unfinished magnesium guide" not in html


def test_reviewer_page_shows_credentials_and_published_guides(client):
    guide = build_guide()
    GuideFactory(reviewer=guide.reviewer, title="Secret draft", status=Guide.Status.DRAFT, published_at=None)
    response = client.get(guide.reviewer.get_absolute_url())
    html = page_text(response)
    assert response.status_code == 200
    assert "RND" in html
    assert "Professional Regulation Commission (PRC)" in html
    assert guide.title in html
    assert "Secret draft" not in html


def test_comparison_table_scrolls_inside_its_own_box_and_says_so(client):
    guide = build_guide()
    html = page_text(client.get(guide.get_absolute_url()))
    assert re.search(
        r'<div class="table-scroll" role="region" aria-label="Comparison table, scrolls sideways"'
        r' aria-describedby="comparison-hint" tabindex="0">',
        html,
    )
    assert '<p class="scroll-hint" id="comparison-hint">' in html


def test_comparison_puts_price_per_serving_and_score_next_to_the_product(client):
    guide = build_guide()
    html = page_text(client.get(guide.get_absolute_url()))
    table = html[html.index('<table class="comparison">') : html.index("</table>")]
    headings = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert headings[:3] == ["Product", "Price per serving", "Score"]
    first_row = table[table.index("<tbody>") :]
    assert re.search(r'<th scope="row"><a href="#product-1"><span class="rank">#1</span>', first_row)
    assert re.search(
        r'<td class="per-serving">\$0\.\d\d <span class="currency">USD</span></td>\s*<td class="score">', first_row
    )
