import pytest
from django.urls import reverse

from guides import revisions, workflow
from guides.models import Guide
from guides.tests.factories import (
    GuideFactory,
    publish_now,
    ready_guide,
)
from guides.tests.test_admin import management_forms

pytestmark = pytest.mark.django_db


# --- History and revert ------------------------------------------------------------------


def test_history_shows_who_changed_what_and_reverts(editor_client, editor, reviewer_user, django_user_model):
    guide = ready_guide(intro="First wording.")
    guide.intro = "Second wording."
    guide.save()
    revisions.record_revision(guide, editor)
    history = editor_client.get(reverse("admin:guides_guide_revisions", args=[guide.pk])).content.decode()
    assert "Erin Editor" in history
    diff = editor_client.get(reverse("admin:guides_guide_revision", args=[guide.pk, 2])).content.decode()
    assert "-First wording." in diff
    assert "+Second wording." in diff
    response = editor_client.post(
        reverse("admin:guides_guide_workflow", args=[guide.pk, "revert"]),
        {"number": "1"},
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.intro == "First wording."
    assert revisions.current_revision(guide).number == 3


def test_reverting_a_live_guide_prepares_a_pending_change(client, editor_user, reviewer_user):
    guide = ready_guide(intro="Live wording.")
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=pending.pk).update(intro="Newer wording.")
    pending.refresh_from_db()
    revisions.record_revision(pending, editor_user)
    publish_now(pending, editor_user, reviewer_user)
    first = guide.revisions.get(number=1)
    pending = workflow.revert(guide=Guide.objects.get(pk=guide.pk), revision=first, user=editor_user)
    assert pending.pending_change_of_id == guide.pk
    assert pending.intro == "Live wording."
    assert Guide.objects.get(pk=guide.pk).intro == "Newer wording."


def test_a_version_saved_before_a_field_existed_restores_with_that_fields_default(editor):
    guide = ready_guide(intro="Old wording.")
    first = guide.revisions.get(number=1)
    content = dict(first.content)
    content["guide"] = {k: v for k, v in content["guide"].items() if k not in {"kind", "typical_dose"}}
    content["safety_warnings"] = [{"order": 0, "severity": "critical", "text": "Old warning."}]  # no applies_to
    Guide.objects.filter(pk=guide.pk).update(kind=Guide.Kind.ARTICLE, typical_dose="5 g")
    guide.refresh_from_db()
    revisions.restore(guide, content)
    guide.refresh_from_db()
    assert (guide.kind, guide.typical_dose) == (Guide.Kind.COMPARISON, "")
    assert guide.safety_warnings.get().applies_to == ""


# --- Concurrent edits -------------------------------------------------------------------


def admin_form_data(guide, opened_revision, **overrides):
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "kind": guide.kind,
        "category": guide.category_id,
        "evidence_grade": guide.evidence_grade,
        "grade_override_reason": "",
        "reviewer": guide.reviewer_id,
        "intro": guide.intro,
        "expert_take": "",
        "opened_revision": str(opened_revision),
    }
    return data | management_forms() | overrides


def test_second_of_two_concurrent_saves_is_refused_and_keeps_the_text(client, make_staff):
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None, evidence_grade="insufficient")
    revisions.record_revision(guide, None)
    url = reverse("admin:guides_guide_change", args=[guide.pk])
    alice = make_staff("alice")
    bob = make_staff("bob")

    client.force_login(alice)
    assert 'name="opened_revision" value="1"' in client.get(url).content.decode()
    client.force_login(bob)
    client.get(url)

    client.force_login(alice)
    assert client.post(url, admin_form_data(guide, 1, intro="Alice's intro.")).status_code == 302
    client.force_login(bob)
    response = client.post(url, admin_form_data(guide, 1, intro="Bob's careful intro."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This guide was changed by Alice at" in html
    assert "since you opened it" in html
    assert "Bob&#x27;s careful intro." in html
    guide.refresh_from_db()
    assert guide.intro == "Alice's intro."
