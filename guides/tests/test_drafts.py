"""A first draft saves with only a title; what a reader's page needs is asked by the publish gate, in words."""

import pytest
from django.urls import reverse

from guides.checks import publish_checks
from guides.models import Guide
from guides.tests.factories import GuideFactory
from guides.tests.test_admin import management_forms

pytestmark = pytest.mark.django_db


def add_guide(client, **fields):
    return client.post(reverse("admin:guides_guide_add"), fields | management_forms())


def test_a_draft_saves_with_only_a_title(editor_client, editor):
    response = add_guide(editor_client, title="Zinc for colds")
    assert response.status_code == 302, response.context["errors"] if response.context else response
    guide = Guide.objects.get()
    assert guide.status == Guide.Status.DRAFT
    assert guide.slug == "zinc-for-colds"
    assert guide.started_by == editor
    assert guide.revisions.get().created_by == editor


def test_a_second_draft_with_the_same_title_gets_its_own_address(editor_client):
    GuideFactory(title="Zinc for colds", slug="zinc-for-colds")
    assert add_guide(editor_client, title="Zinc for colds").status_code == 302
    assert Guide.objects.filter(slug="zinc-for-colds-2").exists()


def test_a_draft_without_a_title_is_refused(editor_client):
    response = add_guide(editor_client, title="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_the_gate_asks_for_what_readers_need_that_the_form_did_not(editor_client):
    add_guide(editor_client, title="Zinc for colds")
    guide = Guide.objects.get()
    blocking = [check.message for check in publish_checks(guide) if check.blocking]
    assert "The guide has no category." in blocking
    assert "The guide has no evidence grade." in blocking
    assert "The guide names no reviewer." in blocking
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "<strong>Must fix:</strong> The guide has no category." in html


def test_staff_can_open_a_title_only_draft_on_the_site(editor_client):
    add_guide(editor_client, title="Zinc for colds")
    assert editor_client.get("/guides/zinc-for-colds/").status_code == 200


def test_the_address_help_text_shows_an_address():
    help_text = Guide._meta.get_field("slug").help_text
    assert "/guides//" not in help_text
    assert "<" not in help_text  # the admin shows help text as HTML: a <slug> would vanish


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_guide_as_it_was_and_finds_who_started_it(migrate_to):
    old = migrate_to([("guides", "0009_pending_change_of_readers_models_moved")])
    category = old.get_model("guides", "Category").objects.create(name="Gut", slug="gut")
    reviewer = old.get_model("guides", "Reviewer").objects.create(name="Dana", slug="dana")
    guide = old.get_model("guides", "Guide").objects.create(
        title="Glutamine",
        slug="glutamine",
        category=category,
        evidence_grade="limited",
        reviewer=reviewer,
        intro="Intro.",
    )
    author = old.get_model("auth", "User").objects.create(username="author")
    old.get_model("guides", "GuideRevision").objects.create(
        guide=guide,
        number=1,
        created_by=author,
        content={},
        content_hash="x",
    )
    new = migrate_to([("guides", "0010_drafts_assignments_review_comments")])
    guide = new.get_model("guides", "Guide").objects.select_related("category", "reviewer").get(slug="glutamine")
    assert guide.started_by_id == author.pk  # who started it, from its first saved version
    assert (guide.category.name, guide.evidence_grade, guide.reviewer.name, guide.intro) == (
        "Gut",
        "limited",
        "Dana",
        "Intro.",
    )
