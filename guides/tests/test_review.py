"""A reviewer sends a version back with a comment; it stays on the revision and the editor sees it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guides import revisions, workflow
from guides.models import Guide
from guides.tests.factories import ready_guide

pytestmark = pytest.mark.django_db


def sent_to_review(editor_user):
    guide = ready_guide()
    workflow.submit_for_review(guide=guide, user=editor_user)
    return guide


def test_a_reviewer_requests_changes_and_the_editor_sees_the_comment(client, editor_user, reviewer_user):
    guide = sent_to_review(editor_user)
    client.force_login(reviewer_user)
    response = client.post(
        reverse("admin:guides_guide_workflow", args=[guide.pk, "request-changes"]),
        {"comment": "The dose section says 50 g; the trials used 5 g."},
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.status == Guide.Status.DRAFT
    revision = revisions.current_revision(guide)
    assert revision.review_comment == "The dose section says 50 g; the trials used 5 g."
    assert revision.changes_requested_by == reviewer_user

    client.force_login(editor_user)
    html = client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "Rita asked for changes</strong> to version 1" in html
    assert "The dose section says 50 g; the trials used 5 g." in html
    assert "Draft: Rita asked for changes on" in html
    assert f'action="{reverse("admin:guides_guide_workflow", args=[guide.pk, "submit"])}"' in html


def test_the_comment_stays_in_the_history_after_the_editor_fixes_and_sends_again(client, editor_user, reviewer_user):
    guide = sent_to_review(editor_user)
    workflow.request_changes(guide=guide, user=reviewer_user, comment="Cite the 1993 trial.")
    guide.intro = "Fixed intro [@pmid:8098788]."
    guide.save()
    revisions.record_revision(guide, editor_user)
    workflow.submit_for_review(guide=guide, user=editor_user)
    client.force_login(editor_user)
    html = client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "Cite the 1993 trial." not in html  # answered: no longer the last word
    history = client.get(reverse("admin:guides_guide_revisions", args=[guide.pk])).content.decode()
    assert "Changes requested by Rita" in history
    assert "Cite the 1993 trial." in history
    assert "Sent to review" in history
    workflow.sign_off(guide=guide, user=reviewer_user)
    assert revisions.current_revision(guide).number == 2


def test_a_request_for_changes_needs_a_comment(editor_user, reviewer_user):
    guide = sent_to_review(editor_user)
    with pytest.raises(ValidationError, match="Say what should change"):
        workflow.request_changes(guide=guide, user=reviewer_user, comment="  ")
    assert Guide.objects.get(pk=guide.pk).status == Guide.Status.IN_REVIEW


def test_only_reviewers_send_a_guide_back(editor_user):
    guide = sent_to_review(editor_user)
    with pytest.raises(PermissionDenied):
        workflow.request_changes(guide=guide, user=editor_user, comment="Looks thin.")


def test_a_draft_cannot_be_sent_back(reviewer_user):
    with pytest.raises(ValidationError, match="Only a guide in review"):
        workflow.request_changes(guide=ready_guide(), user=reviewer_user, comment="Hm.")
