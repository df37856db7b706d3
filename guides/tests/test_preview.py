"""The Markdown preview renders what the page will, for staff only, and the form works without it."""

import re

import pytest
from django.urls import reverse

from evidence.tests.factories import StudyFactory
from guides.tests.factories import CitationFactory, GuideFactory

pytestmark = pytest.mark.django_db


def preview(client, text):
    return client.post(reverse("admin:guides_guide_preview"), {"text": text})


def test_markers_become_numbered_citations_naming_their_study(editor_client):
    StudyFactory(pmid="8098788", title="Glutamine and the preservation of gut integrity", year=1993)
    response = preview(editor_client, "The gut lining stayed intact [@pmid:8098788], **clearly**.")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<sup class="citation" id="cite-1-1"><a href="#ref-1">', html)
    assert "<strong>clearly</strong>" in html
    assert "Glutamine and the preservation of gut integrity" in html.split('class="preview-references"')[1]
    assert "[@pmid:8098788]" not in html


def test_a_marker_that_matches_no_study_is_flagged(editor_client):
    html = preview(editor_client, "As shown [@pmid:99999999] and `[@pmid:1]` in code.").content.decode()
    assert '<mark class="marker-unknown">[@pmid:99999999]</mark>' in html
    assert "<code>[@pmid:1]</code>" in html  # markers inside code are left as written
    assert "No study matches</strong> [@pmid:99999999]" in html


def test_editor_text_stays_inert_in_the_preview(editor_client):
    text = "<script>alert(1)</script> [x](javascript:alert(1)) [@<img src=x onerror=alert(1)>]"
    html = preview(editor_client, text).content.decode()
    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html


def test_the_preview_is_for_staff_who_edit_guides(client, django_user_model):
    assert preview(client, "Hello").status_code == 302  # to the admin's login
    intern = django_user_model.objects.create_user("intern", password="pw-intern-123", is_staff=True)
    client.force_login(intern)
    assert preview(client, "Hello").status_code == 403
    assert client.get(reverse("admin:guides_guide_preview")).status_code == 405


def test_the_guide_page_lists_its_cited_studies_with_their_markers(editor_client):
    guide = GuideFactory(status="draft", published_at=None)
    CitationFactory(guide=guide, study=StudyFactory(pmid="8098788", title="Glutamine and gut integrity"))
    CitationFactory(guide=guide, study=StudyFactory(pmid="", doi="10.1000/xyz", title="A DOI-only study"))
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    tools = html.split('id="markdown-tools"')[1].split("</section>")[0]
    assert "<code>[@pmid:8098788]</code>" in tools
    assert "<code>[@doi:10.1000/xyz]</code>" in tools
    assert 'data-marker="[@pmid:8098788]"' in tools
    assert 'data-markdown="intro"' in html
    assert "js/markdown-preview.js" in html


def test_the_guide_admin_has_no_inline_script(editor_client):
    guide = GuideFactory(status="draft", published_at=None)
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
