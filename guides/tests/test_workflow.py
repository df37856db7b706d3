from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides import changes, revisions, workflow
from guides.models import Guide
from guides.tests.factories import (
    GuideFactory,
    RankedProductFactory,
    ReviewerFactory,
    SectionFactory,
    publish_now,
    ready_guide,
)
from guides.tests.test_views import main_text, page_text
from products.tests.factories import OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db


# --- Transitions ---------------------------------------------------------------


def test_draft_goes_to_review_then_published_after_sign_off(client, editor_user, reviewer_user):
    guide = ready_guide()
    assert client.get(guide.get_absolute_url()).status_code == 404
    workflow.submit_for_review(guide=guide, user=editor_user)
    revision = workflow.sign_off(guide=guide, user=reviewer_user)
    workflow.publish(guide=guide, user=editor_user)
    guide.refresh_from_db()
    assert guide.status == Guide.Status.PUBLISHED
    assert guide.last_reviewed_on == timezone.localdate(revision.signed_off_at)
    assert guide.updated_at == guide.published_at
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_publishing_without_sign_off_is_refused_with_the_gate_message(editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    with pytest.raises(ValidationError) as error:
        workflow.publish(guide=guide, user=editor_user)
    assert "No reviewer has signed off the current version." in " ".join(error.value.messages)
    guide.refresh_from_db()
    assert guide.status == Guide.Status.IN_REVIEW


def test_only_a_guide_in_review_can_be_signed_off(reviewer_user):
    with pytest.raises(ValidationError, match="Send the guide to review"):
        workflow.sign_off(guide=ready_guide(), user=reviewer_user)


def test_a_draft_cannot_be_published_straight_away(editor_user, reviewer_user):
    guide = ready_guide()
    with pytest.raises(ValidationError, match="Only a guide in review"):
        workflow.publish(guide=guide, user=editor_user)


def test_sign_off_needs_the_permission(editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    with pytest.raises(PermissionDenied):
        workflow.sign_off(guide=guide, user=editor_user)


def test_sign_off_needs_a_reviewer_profile_with_credentials(django_user_model, make_staff, editor_user):
    user = make_staff("newbie", "sign_off_guide")
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    with pytest.raises(PermissionDenied, match="not linked to a reviewer profile"):
        workflow.sign_off(guide=guide, user=user)
    ReviewerFactory(user=user, licence_number="")
    user = django_user_model.objects.get(pk=user.pk)
    with pytest.raises(ValidationError, match="licence number"):
        workflow.sign_off(guide=guide, user=user)


def test_publish_needs_the_permission(reviewer_user, editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    with pytest.raises(PermissionDenied):
        workflow.publish(guide=guide, user=reviewer_user)


def test_sign_off_records_who_when_and_which_version(editor_user, reviewer_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    revision = workflow.sign_off(guide=guide, user=reviewer_user)
    assert revision == revisions.current_revision(guide)
    assert revision.signed_off_by == reviewer_user.reviewer_profile
    assert revision.signed_off_user == reviewer_user
    assert revision.signed_off_at is not None


def test_a_change_after_sign_off_needs_a_new_sign_off(editor_user, reviewer_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    guide.intro = "A sentence the reviewer never saw."
    guide.save()
    revisions.record_revision(guide, editor_user)
    with pytest.raises(ValidationError, match="No reviewer has signed off the current version"):
        workflow.publish(guide=guide, user=editor_user)


def test_unpublished_guide_is_gone_for_readers(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    workflow.unpublish(guide=guide, user=editor_user)
    assert client.get(guide.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        workflow.unpublish(guide=guide, user=editor_user)


# --- Live version kept while a change is pending ----------------------------------


def test_readers_keep_the_live_version_while_a_change_is_pending(editor_client, editor_user, reviewer_user):
    client = Client()  # a reader; `editor_client` is logged in
    guide = ready_guide(title="Glutamine guide")
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    section = pending.sections.get()
    section.body = "A half-finished rewrite."
    section.save()
    pending.title = "Glutamine guide, rewritten"
    pending.save()

    reader_html = main_text(client.get(guide.get_absolute_url()))
    assert "Glutamine feeds enterocytes." in reader_html
    assert "half-finished" not in reader_html
    assert "rewritten" not in reader_html

    staff_html = main_text(editor_client.get(guide.get_absolute_url()))
    assert "A half-finished rewrite." in staff_html
    assert "Pending change" in page_text(editor_client.get(guide.get_absolute_url()))
    assert "half-finished" not in main_text(editor_client.get(guide.get_absolute_url() + "?live=1"))


def test_publishing_a_pending_change_replaces_the_live_content(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    first_published = Guide.objects.get(pk=guide.pk).published_at
    pending = workflow.start_change(guide=guide, user=editor_user)
    section = pending.sections.get()
    section.body = "Glutamine is the gut lining's main fuel."
    section.save()
    revisions.record_revision(pending, editor_user)
    publish_now(pending, editor_user, reviewer_user)

    assert not Guide.objects.filter(pending_change_of=guide).exists()
    guide.refresh_from_db()
    assert guide.published_at == first_published
    assert guide.updated_at > first_published
    html = main_text(client.get(guide.get_absolute_url()))
    assert "Glutamine is the gut lining&#x27;s main fuel." in html or "main fuel." in html


def test_live_guide_cannot_be_changed_in_place_in_the_admin(editor_client):
    guide = GuideFactory()
    response = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Start a change" in html
    assert 'name="title"' not in html  # read-only page


def test_start_a_change_from_the_admin_opens_the_pending_change(editor_client):
    guide = GuideFactory()
    SectionFactory(guide=guide, heading="Dosage")
    response = editor_client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "edit"]))
    pending = Guide.objects.get(pending_change_of=guide)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:guides_guide_change", args=[pending.pk])
    assert list(pending.sections.values_list("heading", flat=True)) == ["Dosage"]
    assert pending.slug == guide.slug


# --- What changed -------------------------------------------------------------------


def test_rank_change_needs_a_note_that_readers_see(client, editor_user, reviewer_user):
    guide = ready_guide()
    second = RankedProductFactory(guide=guide, rank=2, product=ProductFactory(name="Runner-up powder"))
    OfferFactory(product=second.product)
    revisions.record_revision(guide, editor_user)
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    first, runner_up = pending.ranked_products.order_by("rank")
    first.rank, runner_up.rank = 3, 1
    first.save()
    runner_up.save()
    first.rank = 2
    first.save()
    revisions.record_revision(pending, editor_user)
    workflow.submit_for_review(guide=pending, user=editor_user)
    workflow.sign_off(guide=pending, user=reviewer_user)
    suggestion = changes.suggested_change_note(pending)
    assert "Runner-up powder moved from #2 to #1." in suggestion
    with pytest.raises(ValidationError, match="Say what changed for readers"):
        workflow.publish(guide=pending, user=editor_user)
    workflow.publish(guide=pending, user=editor_user, change_note="Runner-up powder is now our top pick.")
    html = main_text(client.get(guide.get_absolute_url()))
    assert "What changed" in html
    assert "Runner-up powder is now our top pick." in html


# --- Scheduling -------------------------------------------------------------------


def test_first_publication_can_be_scheduled(editor_user, reviewer_user):
    guide = ready_guide()
    now = timezone.now()
    go_live = now + timedelta(hours=2)
    publish_now(guide, editor_user, reviewer_user, go_live_at=go_live)
    assert guide not in Guide.objects.published(at=now)
    assert guide not in Guide.objects.published(at=go_live - timedelta(minutes=1))
    assert guide in Guide.objects.published(at=go_live)


def test_scheduled_change_goes_live_by_command_at_its_time(editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=pending.pk).update(intro="New intro for next week.")
    pending.refresh_from_db()
    revisions.record_revision(pending, editor_user)
    go_live = timezone.now() + timedelta(days=7)
    publish_now(pending, editor_user, reviewer_user, go_live_at=go_live)
    assert workflow.publish_due(at=go_live - timedelta(minutes=1)) == 0
    assert Guide.objects.get(pk=guide.pk).intro != "New intro for next week."
    assert workflow.publish_due(at=go_live) == 1
    assert Guide.objects.get(pk=guide.pk).intro == "New intro for next week."


def test_scheduled_change_reaches_readers_even_if_the_command_runs_late(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    section = pending.sections.get()
    section.body = "Scheduled wording."
    section.save()
    revisions.record_revision(pending, editor_user)
    publish_now(pending, editor_user, reviewer_user, go_live_at=timezone.now() + timedelta(seconds=1))
    Guide.objects.filter(pk=pending.pk).update(scheduled_for=timezone.now() - timedelta(minutes=5))
    assert "Scheduled wording." in main_text(client.get(guide.get_absolute_url()))
    assert not Guide.objects.filter(pending_change_of=guide).exists()


def test_publish_scheduled_command_reports_what_it_did(editor_user, reviewer_user, capsys):
    call_command("publish_scheduled")
    assert "Published 0 scheduled changes." in capsys.readouterr().out


def test_publish_form_names_the_site_time_zone(editor_client, editor_user, reviewer_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert f"Go live at ({timezone.get_current_timezone_name()})" in html


def test_a_kept_guide_page_shows_its_scheduled_change_on_time(
    client, settings, monkeypatch, editor_user, reviewer_user
):
    settings.READER_PAGE_CACHE_SECONDS = 0  # the guide's kept text alone (guides/prerendered.py)
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    section = pending.sections.get()
    section.body = "Wording for next week."
    section.save()
    revisions.record_revision(pending, editor_user)
    go_live = timezone.now() + timedelta(days=7)
    publish_now(pending, editor_user, reviewer_user, go_live_at=go_live)
    for _ in range(2):  # drawn, then from the kept text
        assert "Wording for next week." not in main_text(client.get(guide.get_absolute_url()))
    monkeypatch.setattr(timezone, "now", lambda: go_live + timedelta(seconds=1))
    assert "Wording for next week." in main_text(client.get(guide.get_absolute_url()))
