"""What a reader on a phone needs near the top of a guide, and blocks a guide page shows in its own way."""

import re

import pytest
from django.core.exceptions import ValidationError

from evidence.tests.factories import StudyFactory
from guides.models import Complaint, Guide, SafetyWarning
from guides.tests.factories import (
    ComplaintFactory,
    GuideFactory,
    SafetyWarningFactory,
    SectionFactory,
)
from guides.tests.test_views import build_guide, main_text, page_text
from products.tests.factories import MerchantFactory
from readers.tests.factories import PageFactory

pytestmark = pytest.mark.django_db


def glance(html):
    return html[html.index('<section class="at-a-glance"') : html.index("</section>", html.index("at-a-glance"))]


def test_at_a_glance_gives_grade_best_pick_dose_and_who_should_avoid_it(client):
    guide = build_guide(typical_dose="5–15 g a day, in two or three doses")
    SafetyWarningFactory(
        guide=guide,
        severity=SafetyWarning.Severity.CAUTION,
        applies_to="People with kidney or liver disease",
        text="Ask your specialist first.",
    )
    critical = guide.safety_warnings.get(severity=SafetyWarning.Severity.CRITICAL)
    critical.applies_to = "People with cancer or in cancer treatment"
    critical.save()
    top = guide.ranked_products.get(rank=1)
    box = glance(main_text(client.get(guide.get_absolute_url())))
    assert "Limited evidence" in box
    assert "Small or few human studies" in box
    assert f'<a href="#product-1">{top.product}</a>, $0.30 <abbr title="USD">USD</abbr> a serving' in box
    assert "5–15 g a day, in two or three doses" in box
    avoid = re.findall(r'<li><a href="#warning-(\d+)">([^<]+)</a>', box)
    assert [text for _, text in avoid] == [
        "People with cancer or in cancer treatment",
        "People with kidney or liver disease",
    ]
    assert avoid[0][0] == str(critical.pk)
    assert '<a href="#safety">All safety warnings and interactions</a>' in box


def test_information_warnings_do_not_say_who_should_avoid_it(client):
    guide = GuideFactory()
    SafetyWarningFactory(guide=guide, severity=SafetyWarning.Severity.INFO, applies_to="Everyone", text="Mix cool.")
    box = glance(main_text(client.get(guide.get_absolute_url())))
    assert "Everyone" not in box
    assert 'href="#safety"' in box  # the safety section is still one tap away


def test_the_table_of_contents_links_every_block_in_the_order_the_page_shows_them(client):
    guide = build_guide()
    html = main_text(client.get(guide.get_absolute_url()))
    toc = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
    listed = re.findall(r'<li><a href="#([^"]+)">', toc)
    article = html[html.index("</nav>", html.index('<nav class="toc"')) :]
    headings = [anchor for anchor in re.findall(r'<h2 id="([^"]+)"', article) if anchor != "cta-heading"]
    assert listed == headings
    assert listed[:3] == ["key-benefits", "ranked-products", "comparison"]
    assert "safety" in listed
    assert "<script" not in toc  # jump links, nothing to run


def test_an_article_is_labelled_as_one_and_has_no_products(client):
    guide = GuideFactory(kind=Guide.Kind.ARTICLE, title="L-glutamine and leaky gut")
    html = main_text(client.get(guide.get_absolute_url()))
    assert "<span>Article</span>" in html
    assert "Best pick" not in html
    assert "Comparison table" not in html
    assert 'class="affiliate-disclosure"' not in html
    listing = main_text(client.get("/guides/"))
    assert "<span>Article</span>" in listing


def test_complaints_say_where_they_come_from_and_how_many_reviews(client):
    guide = GuideFactory()
    ComplaintFactory(guide=guide, review_count=1240, review_source="Amazon US", review_year=2026)
    html = main_text(client.get(guide.get_absolute_url()))
    assert '<p class="complaint-source">Based on 1,240 reviews on Amazon US, 2026</p>' in html


def test_a_complaint_source_needs_count_place_and_year_together():
    complaint = ComplaintFactory.build(guide=GuideFactory(), review_count=300, review_source="", review_year=None)
    with pytest.raises(ValidationError, match="none of the three"):
        complaint.full_clean()
    Complaint(guide=complaint.guide, complaint="x", answer="y").full_clean()  # none of the three is fine


def test_the_free_guide_box_stands_where_the_editor_put_it_and_links_to_the_signup_page(client):
    PageFactory(title="30 gut-friendly foods", slug="gut-friendly-foods", for_subscribers=True)
    guide = GuideFactory(kind=Guide.Kind.ARTICLE)
    SectionFactory(guide=guide, order=0, heading="What is leaky gut?", free_guide_box_after=True)
    SectionFactory(guide=guide, order=1, heading="What causes it?")
    response = client.get(guide.get_absolute_url())
    html = main_text(response)
    html = html[html.index('<div class="intro">') :]  # after the table of contents, which names the sections
    box = html.index('<div class="signup-box"')
    assert html.index("What is leaky gut?") < box < html.index("What causes it?")
    assert "Get the free guide to 30 gut-friendly foods" in html
    assert '<a class="button" href="/newsletter/">Get the free guide</a>' in html
    assert "<form" not in html[: html.index("</article>")]  # no form, so the page stays cacheable
    assert "public" in response["Cache-Control"]
    assert page_text(response).count('href="/newsletter/"') == 1  # the footer's own pitch steps aside


def test_citations_side_by_side_ascend_and_only_they_are_separated_by_commas(client):
    first, second, third = StudyFactory(), StudyFactory(), StudyFactory()
    both = f"[@pmid:{third.pmid}] [@pmid:{first.pmid}]"
    guide = GuideFactory(intro=f"Shut [@pmid:{second.pmid}] and open [@pmid:{first.pmid}]. Both {both}.")
    intro = main_text(client.get(guide.get_absolute_url()))
    intro = intro[intro.index('<div class="intro">') : intro.index("</div>", intro.index('<div class="intro">'))]
    numbers = re.findall(r'<sup class="citation[^"]*" id="cite-(\d+)-\d+">', intro)
    assert numbers == ["1", "2", "2", "3"]  # "Both 2,3": the run is shown ascending
    assert intro.count('<sup class="citation-separator">,</sup>') == 1
    assert re.search(
        r'id="cite-2-2">.*?</sup><sup class="citation-separator">,</sup><sup class="citation" id="cite-3-1"', intro
    )
    assert "Shut <sup" in intro  # no comma before a citation that follows text


def test_guide_page_discloses_before_its_first_shop_link(client):
    MerchantFactory(name="iHerb", domains="iherb.com")
    guide = GuideFactory(intro="You can buy it [at iHerb](https://iherb.com/p/1).")
    html = client.get(guide.get_absolute_url()).content.decode()
    first_link = re.search(r'<a href="/go/[^"]+" rel="sponsored noopener" class="shop-link">', html).start()
    assert html.index('class="affiliate-disclosure"') < first_link
    assert html.count('class="affiliate-disclosure"') == 1
