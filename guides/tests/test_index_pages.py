"""/reviewers/, /categories/ and /what-changed/ (with its feed): what each lists, in a fixed number of queries."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from guides.models import Guide, GuideRevision
from guides.tests.factories import CategoryFactory, GuideFactory, RankedProductFactory, ReviewerFactory
from guides.tests.test_views import main_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def revision(guide, number, note, days_ago):
    return GuideRevision.objects.create(
        guide=guide,
        number=number,
        content={},
        content_hash=f"{guide.pk}-{number}",
        published_at=timezone.now() - timedelta(days=days_ago),
        change_note=note,
    )


def test_reviewers_lists_each_reviewer_of_a_published_guide_with_licence_and_guides(client):
    dana = ReviewerFactory(name="Dana Reyes", slug="dana-reyes", licence_number="0012345")
    GuideFactory(reviewer=dana, title="L-Glutamine for gut health")
    GuideFactory(reviewer=dana, title="Unfinished", status=Guide.Status.DRAFT, published_at=None)
    ReviewerFactory(name="Nobody Yet")
    html = main_text(client.get("/reviewers/"))
    assert '<a href="/reviewers/dana-reyes/">Dana Reyes</a>, RND' in html
    assert "Licence #0012345" in html
    assert "Reviewed 1 guide:" in html
    assert "L-Glutamine for gut health" in html
    assert "Unfinished" not in html
    assert "Nobody Yet" not in html


def test_categories_lists_every_category_with_its_guides_counted_one_way(client):
    parent = CategoryFactory(name="Amino Acid", slug="amino-acid")
    child = CategoryFactory(name="Gut Health", slug="gut-health", parent=parent)
    GuideFactory(category=child, title="L-Glutamine for gut health")
    GuideFactory(category=child, title="Leaky gut, explained", kind=Guide.Kind.ARTICLE)
    CategoryFactory(name="Empty")
    html = main_text(client.get("/categories/"))
    assert '<a href="/categories/amino-acid/">Amino Acid</a> <span class="count">2 guides' in html
    assert '<a href="/categories/gut-health/">Gut Health</a> <span class="count">2 guides' in html
    assert "Leaky gut, explained</a> <span" in html
    assert "Article" in html
    assert "Empty" not in html


def test_what_changed_lists_published_notes_across_guides_newest_first(client):
    creatine = GuideFactory(title="Creatine for strength")
    magnesium = GuideFactory(title="Magnesium for sleep")
    draft = GuideFactory(title="Draft guide", status=Guide.Status.DRAFT, published_at=None)
    revision(creatine, 2, "Added the 2017 meta-analysis.\nBrand X moved from #2 to #1.", days_ago=3)
    revision(magnesium, 2, "Corrected the dose to 350 mg.", days_ago=1)
    revision(magnesium, 3, "", days_ago=0)  # published without a note: nothing to say
    revision(draft, 2, "Secret.", days_ago=0)
    GuideRevision.objects.create(
        guide=creatine,
        number=3,
        content={},
        content_hash="x",
        published_at=timezone.now() + timedelta(days=1),
        change_note="Scheduled, not yet live.",
    )
    html = main_text(client.get("/what-changed/"))
    assert html.index("Corrected the dose to 350 mg.") < html.index("Added the 2017 meta-analysis.")
    assert "<li>Brand X moved from #2 to #1.</li>" in html
    assert f'href="{magnesium.get_absolute_url()}#change-2"' in html
    assert "Secret." not in html
    assert "Scheduled, not yet live." not in html


def test_what_changed_has_its_own_feed_with_our_icon_and_logo(client):
    guide = GuideFactory(title="Creatine for strength")
    revision(guide, 2, "Added the 2017 meta-analysis.", days_ago=1)
    revision(guide, 3, "Corrected a dose.", days_ago=0)
    page = client.get("/what-changed/").content.decode()
    assert 'type="application/atom+xml" title="What changed in Glutasite guides" href="/what-changed/feed/"' in page
    response = client.get("/what-changed/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}icon").text.endswith("/static/img/icon-192.png")
    assert feed.find(f"{ATOM}logo").text.endswith("/static/img/logo-wide.png")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}id").text.rsplit("#", 1)[1] for entry in entries] == ["change-3", "change-2"]
    assert "<li>Corrected a dose.</li>" in entries[0].find(f"{ATOM}summary").text


def test_the_guides_feed_carries_the_icon_and_logo_too(client):
    GuideFactory()
    feed = ET.fromstring(client.get("/feeds/guides/").content)
    assert feed.find(f"{ATOM}icon") is not None
    assert feed.find(f"{ATOM}logo") is not None


def test_a_guide_links_each_change_and_the_site_wide_page(client):
    guide = GuideFactory()
    revision(guide, 2, "Corrected a dose.", days_ago=0)
    html = main_text(client.get(guide.get_absolute_url()))
    assert '<li id="change-2"><time' in html
    assert 'href="/what-changed/"' in html


@pytest.mark.parametrize("count", [2, 15])
def test_index_pages_query_count_does_not_grow_with_content(client, django_assert_max_num_queries, count):
    for n in range(count):
        category = CategoryFactory(parent=CategoryFactory())
        guide = GuideFactory(category=category, reviewer=ReviewerFactory())
        RankedProductFactory(guide=guide)
        revision(guide, 2, f"Change {n}.", days_ago=n)
    for path, queries in [("/reviewers/", 2), ("/categories/", 3), ("/what-changed/", 2)]:
        with django_assert_max_num_queries(queries):
            assert client.get(path).status_code == 200
