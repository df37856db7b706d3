import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from evidence.tests.factories import StudyFactory
from guides.models import Guide
from guides.tests.factories import GuideFactory, RankedProductFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def sitemap_entries(client):
    root = ET.fromstring(client.get(reverse("sitemap")).content)
    return {
        url.find("s:loc", SITEMAP_NS).text: getattr(url.find("s:lastmod", SITEMAP_NS), "text", None)
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_published_guides_with_their_update_date(client):
    guide = GuideFactory(updated_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    draft = GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    entries = sitemap_entries(client)
    assert entries[f"http://testserver{guide.get_absolute_url()}"].startswith("2026-11-02")
    assert f"http://testserver{draft.get_absolute_url()}" not in entries


def test_sitemap_lists_reviewers_products_and_studies(client):
    ranked = RankedProductFactory()
    study = StudyFactory()
    entries = sitemap_entries(client)
    assert f"http://testserver{ranked.guide.reviewer.get_absolute_url()}" in entries
    assert f"http://testserver{ranked.product.get_absolute_url()}" in entries
    assert f"http://testserver{study.get_absolute_url()}" in entries


def test_sitemap_leaves_out_reviewers_and_products_of_drafts_only(client):
    ranked = RankedProductFactory(guide=GuideFactory(status=Guide.Status.DRAFT, published_at=None))
    entries = sitemap_entries(client)
    assert f"http://testserver{ranked.guide.reviewer.get_absolute_url()}" not in entries
    assert f"http://testserver{ranked.product.get_absolute_url()}" not in entries


def test_atom_feed_lists_published_guides_newest_first(client):
    older = GuideFactory(title="Creatine", updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    newer = GuideFactory(title="Magnesium", updated_at=datetime(2026, 6, 1, tzinfo=UTC))
    GuideFactory(title="Unfinished zinc guide", status=Guide.Status.DRAFT, published_at=None)
    response = client.get(reverse("readers:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [entry.find("a:title", ATOM_NS).text for entry in root.findall("a:entry", ATOM_NS)]
    assert titles == [newer.title, older.title]


def test_pages_carry_canonical_and_open_graph_tags(client):
    guide = GuideFactory()
    html = client.get(guide.get_absolute_url() + "?utm_source=newsletter").content.decode()
    assert f'<link rel="canonical" href="http://testserver{guide.get_absolute_url()}">' in html
    assert '<meta property="og:title"' in html
    assert '<meta name="twitter:card" content="summary">' in html


@override_settings(DEBUG=False)
def test_unknown_address_gets_our_404_page(client):
    response = client.get("/guides/no-such-guide/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()
    assert "Browse all guides" in response.content.decode()
