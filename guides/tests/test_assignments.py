"""A guide or pending change is given to a person by a day; the queue shows who has it, and what is overdue."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guides import workflow
from guides.models import Assignment, Guide
from guides.tests.factories import GuideFactory, publish_now, ready_guide

pytestmark = pytest.mark.django_db


def test_an_editor_assigns_a_guide_with_a_due_date(client, editor_user, reviewer_user):
    guide = ready_guide()
    client.force_login(editor_user)
    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("admin:guides_guide_workflow", args=[guide.pk, "assign"]),
        {"assignee": reviewer_user.pk, "due_on": due.isoformat(), "note": "Check the dose."},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(guide=guide)
    assert (assignment.assignee, assignment.due_on, assignment.assigned_by) == (reviewer_user, due, editor_user)
    html = client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "Assigned to <strong>Rita</strong>" in html
    assert "“Check the dose.”" in html


def test_choosing_nobody_takes_the_guide_back(client, editor_user, reviewer_user):
    guide = ready_guide()
    workflow.assign(guide=guide, user=editor_user, assignee=reviewer_user)
    client.force_login(editor_user)
    client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "assign"]), {"assignee": ""})
    assert not Assignment.objects.exists()


def test_a_guide_cannot_go_to_someone_who_may_not_edit_guides(django_user_model, editor_user):
    importer = django_user_model.objects.create_user("ivo", password="pw-ivo-123456", is_staff=True)
    importer.groups.set(Group.objects.filter(name="Product importers"))
    with pytest.raises(ValidationError, match="may not edit guides"):
        workflow.assign(guide=ready_guide(), user=editor_user, assignee=importer)


def test_overdue_shows_in_the_review_queue_and_the_guide_list(editor_client, editor_user, reviewer_user):
    guide = ready_guide(title="Late guide")
    workflow.assign(
        guide=guide,
        user=editor_user,
        assignee=reviewer_user,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    queue = editor_client.get(reverse("admin:guides_guide_review_queue") + "?reason=overdue").content.decode()
    assert "Late guide" in queue
    assert '<strong class="overdue">overdue</strong>' in queue
    assert "<td>Rita</td>" in queue
    listing = editor_client.get(reverse("admin:guides_guide_changelist")).content.decode()
    assert "(overdue)" in listing


def test_the_review_queue_shows_who_has_each_guide(editor_client, editor_user, reviewer_user):
    guide = ready_guide(title="Waiting for Rita")
    workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.assign(guide=guide, user=editor_user, assignee=reviewer_user)
    unassigned = ready_guide(title="Waiting for anyone")
    workflow.submit_for_review(guide=unassigned, user=editor_user)
    queue = editor_client.get(reverse("admin:guides_guide_review_queue") + "?reason=in-review").content.decode()
    assert "Waiting for Rita</a></td>\n      <td>In review</td>\n      <td>Rita</td>" in queue
    assert "Waiting for anyone</a></td>\n      <td>In review</td>\n      <td>Nobody</td>" in queue


def test_a_pending_change_is_assigned_on_its_own(editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    workflow.assign(guide=pending, user=editor_user, assignee=reviewer_user)
    assert Assignment.objects.get().guide == pending
    assert not Assignment.objects.filter(guide=guide).exists()


def test_publishing_ends_the_assignment(editor_user, reviewer_user):
    guide = ready_guide()
    workflow.assign(guide=guide, user=editor_user, assignee=reviewer_user, due_on=timezone.localdate())
    publish_now(guide, editor_user, reviewer_user)
    assert not Assignment.objects.exists()


def test_due_soon_and_overdue_are_counted_in_the_site_time_zone(editor_user, reviewer_user):
    today = timezone.localdate()
    for days, title in [(-1, "late"), (0, "today"), (1, "tomorrow"), (5, "later")]:
        workflow.assign(
            guide=GuideFactory(title=title, status=Guide.Status.DRAFT, published_at=None),
            user=editor_user,
            assignee=reviewer_user,
            due_on=today + timedelta(days=days),
        )
    assert {a.guide.title for a in Assignment.objects.overdue()} == {"late"}
    assert {a.guide.title for a in Assignment.objects.due_soon()} == {"today", "tomorrow"}
    assert {a.guide.title for a in Assignment.objects.overdue(at=timezone.now() + timedelta(days=2))} == {
        "late",
        "today",
        "tomorrow",
    }
