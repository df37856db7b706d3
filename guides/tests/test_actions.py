"""The guide's publishing panel shows exactly the actions the person may take now, and says why others are off."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import timezone

from guides import revisions, workflow
from guides.actions import editor_time, guide_actions
from guides.checks import publish_checks
from guides.models import Guide
from guides.tests.factories import GuideFactory, publish_now, ready_guide

pytestmark = pytest.mark.django_db


def page(client, guide):
    return client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()


def workflow_form(guide, action):
    return f'action="{reverse("admin:guides_guide_workflow", args=[guide.pk, action])}"'


def in_review():
    guide = ready_guide()
    guide.status = Guide.Status.IN_REVIEW
    guide.save(update_fields=["status"])
    return guide


def test_a_superuser_without_a_reviewer_profile_is_told_why_there_is_no_sign_off(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123456")
    client.force_login(boss)
    guide = in_review()
    html = page(client, guide)
    assert workflow_form(guide, "sign-off") not in html
    assert "Sign-off needs a reviewer profile linked to your login" in html
    assert 'aria-describedby="why-sign-off"' in html


def test_publish_is_off_while_must_fix_checks_fail_and_says_how_many(client, editor_user):
    guide = in_review()
    Guide.objects.filter(pk=guide.pk).update(category=None)
    client.force_login(editor_user)
    html = page(client, guide)
    assert workflow_form(guide, "publish") not in html
    assert "Publishing is blocked: 2 checks must be fixed." in html


def test_a_reviewer_is_told_publishing_is_for_editors(client, reviewer_user):
    guide = in_review()
    client.force_login(reviewer_user)
    html = page(client, guide)
    assert workflow_form(guide, "sign-off") in html
    assert workflow_form(guide, "request-changes") in html
    assert "Publishing is for Editors." in html


def test_publish_is_on_once_signed_off_and_every_must_fix_check_passes(client, editor_user, reviewer_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    client.force_login(editor_user)
    assert workflow_form(guide, "publish") in page(client, guide)


# --- Shown means allowed -------------------------------------------------------------------


def draft(editor, reviewer):
    return ready_guide()


def waiting(editor, reviewer):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor)
    return guide


def signed_off(editor, reviewer):
    guide = waiting(editor, reviewer)
    workflow.sign_off(guide=guide, user=reviewer)
    return guide


def live(editor, reviewer):
    guide = ready_guide()
    publish_now(guide, editor, reviewer)
    return Guide.objects.get(pk=guide.pk)


def scheduled(editor, reviewer):
    guide = ready_guide()
    publish_now(guide, editor, reviewer, go_live_at=timezone.now() + timedelta(days=2))
    return Guide.objects.get(pk=guide.pk)


STATES = [draft, waiting, signed_off, live, scheduled]
PEOPLE = {
    "editor": ("publish_guide",),
    "reviewer": ("sign_off_guide",),
    "editor who reviews": ("publish_guide", "sign_off_guide"),
}
FORM = {"comment": "Check the dose.", "change_note": "First version.", "override_reason": "Known."}


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.__name__)
@pytest.mark.parametrize("who", PEOPLE)
def test_every_action_shown_on_works_and_every_action_shown_off_is_refused(client, make_staff, state, who):
    editor = make_staff("edith", "publish_guide")
    reviewer = make_staff("rita", "sign_off_guide", reviewer=True)
    person = {"editor": editor, "reviewer": reviewer}.get(who) or make_staff("both", *PEOPLE[who], reviewer=True)
    client.force_login(person)
    shown = state(editor, reviewer)
    actions = guide_actions(shown, person, revision=revisions.current_revision(shown), checks=publish_checks(shown))
    assert actions
    for action in actions:
        guide = state(editor, reviewer)  # each action tried on a guide of its own
        response = client.post(
            reverse("admin:guides_guide_workflow", args=[guide.pk, action.name]),
            FORM,
            follow=True,
        )
        levels = {message.level for message in response.context["messages"]} if response.context else set()
        worked = response.status_code == 200 and constants.ERROR not in levels and levels
        assert bool(worked) is action.enabled, (state.__name__, who, action)


# --- Scheduled states are named, with their time ------------------------------------------


def test_a_scheduled_new_guide_reads_scheduled_not_published(client, editor_user, reviewer_user):
    guide = ready_guide()
    go_live = timezone.now() + timedelta(days=3)
    publish_now(guide, editor_user, reviewer_user, go_live_at=go_live)
    client.force_login(editor_user)
    html = page(client, Guide.objects.get(pk=guide.pk))
    assert f"Scheduled for {editor_time(go_live)}: readers get “not found” until then." in html
    assert "Status:</strong> Published" not in html
    assert workflow_form(guide, "cancel-schedule") in html
    assert workflow_form(guide, "unpublish") not in html
    assert client.logout() is None
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_cancelling_a_scheduled_new_guide_takes_it_back_to_review(editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user, go_live_at=timezone.now() + timedelta(days=3))
    workflow.cancel_schedule(guide=Guide.objects.get(pk=guide.pk), user=editor_user)
    guide.refresh_from_db()
    assert (guide.status, guide.published_at) == (Guide.Status.IN_REVIEW, None)
    assert revisions.current_revision(guide).is_signed_off
    workflow.publish(guide=guide, user=editor_user)
    assert Guide.objects.published().filter(pk=guide.pk).exists()


def test_a_scheduled_change_is_not_in_review_with_a_live_publish_button(client, editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=pending.pk).update(intro="Next week's intro.")
    pending.refresh_from_db()
    revisions.record_revision(pending, editor_user)
    go_live = timezone.now() + timedelta(days=7)
    publish_now(pending, editor_user, reviewer_user, go_live_at=go_live)
    client.force_login(editor_user)
    html = page(client, Guide.objects.get(pk=pending.pk))
    assert f"Scheduled for {editor_time(go_live)}: readers keep the live version until then." in html
    assert "In review" not in html.split("Status:</strong>")[1].split("</p>")[0]
    assert workflow_form(pending, "publish") not in html
    assert 'name="intro"' not in html  # nobody edits what is about to go live
    client.post(reverse("admin:guides_guide_workflow", args=[pending.pk, "cancel-schedule"]))
    pending.refresh_from_db()
    assert pending.scheduled_for is None
    assert 'name="intro"' in page(client, pending)


def test_times_read_as_an_editor_says_them():
    moment = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert editor_time(moment, at=datetime(2026, 11, 29, tzinfo=UTC)) == "3 December, 09:00 UTC"
    assert editor_time(moment, at=datetime(2025, 11, 29, tzinfo=UTC)) == "3 December 2026, 09:00 UTC"


# --- Where the actions are ---------------------------------------------------------------


def test_the_guide_list_links_the_review_queue(editor_client):
    html = editor_client.get(reverse("admin:guides_guide_changelist")).content.decode()
    assert f'href="{reverse("admin:guides_guide_review_queue")}"' in html


def test_a_live_guide_shows_no_save_bar_above_its_publishing_panel(editor_client):
    guide = GuideFactory()
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    panel = html.index('class="module workflow-panel"')
    assert "deletelink" not in html[:panel]
    assert "Start a change" in html[panel:]
