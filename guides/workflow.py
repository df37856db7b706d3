"""How a guide goes from draft to readers: review, sign-off, publishing and changes.

A guide is edited in place until it is first published. After that it is
locked: editors work on a pending change (a copy of the guide with its parts,
`pending_change_of` pointing at the guide), which replaces the guide's
content only when a reviewer has signed off its current version and an
editor publishes it. Readers therefore never see half-finished edits, and
the guide's parts need no versioning of their own.

A reviewer either signs off the version in review or sends it back with a
comment (`request_changes`), kept on that revision; the guide is a draft
again until someone sends it to review. Publishing at a later time leaves
the guide scheduled (`Guide.is_scheduled`): nobody edits or publishes it
again until an editor cancels the schedule.

Each transition is one function here, one transaction, called alike by the
admin, commands and jobs; each checks the user's permission itself and
sends its `guides.signals` event for the notifications above.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from . import signals
from .changes import suggested_change_note
from .checks import publish_checks
from .models import Assignment, Guide
from .parts import copy_parts
from .revisions import content_of, current_revision, record_revision, restore, save_content, set_content


def _require(user, perm, action):
    if not user.has_perm(perm):
        raise PermissionDenied(f"You may not {action}.")


def _refuse_if_scheduled(guide):
    if guide.is_scheduled():
        raise ValidationError("This guide is scheduled to go live. Cancel the schedule first.")


@transaction.atomic
def start_change(*, guide, user):
    """The pending change editors work on for a published guide (made on first need)."""
    _require(user, "guides.change_guide", "edit guides")
    if guide.is_pending_change:
        return guide
    _refuse_if_scheduled(guide)
    existing = Guide.objects.filter(pending_change_of=guide).first()
    if existing:
        return existing
    pending = Guide(pending_change_of=guide, status=Guide.Status.DRAFT, started_by=user)
    set_content(pending, content_of(guide))
    pending.save_base()  # the HTML is copied as it was signed off, not re-rendered
    copy_parts(guide, pending)
    return pending


@transaction.atomic
def submit_for_review(*, guide, user, at=None):
    _require(user, "guides.change_guide", "edit guides")
    if guide.status not in {Guide.Status.DRAFT, Guide.Status.UNPUBLISHED}:
        raise ValidationError(f"Only a draft can go to review; this guide is {guide.get_status_display().lower()}.")
    at = at or timezone.now()
    revision = record_revision(guide, user, at=at)
    revision.submitted_by = user
    revision.submitted_at = at
    revision.save(update_fields=["submitted_by", "submitted_at"])
    guide.status = Guide.Status.IN_REVIEW
    guide.save(update_fields=["status"])
    signals.sent_to_review.send(Guide, guide=guide, user=user, revision=revision)
    return revision


def _reviewer_of(user):
    _require(user, "guides.sign_off_guide", "sign off guides")
    reviewer = getattr(user, "reviewer_profile", None)
    if reviewer is None:
        raise PermissionDenied("Your login is not linked to a reviewer profile, so you cannot sign off.")
    return reviewer


@transaction.atomic
def sign_off(*, guide, user, at=None):
    """Record that a credentialed reviewer approved the guide's current version."""
    reviewer = _reviewer_of(user)
    if reviewer.missing_credentials:
        raise ValidationError(f"Add your {', '.join(reviewer.missing_credentials)} to your reviewer profile first.")
    if guide.status != Guide.Status.IN_REVIEW:
        raise ValidationError("Send the guide to review before signing it off.")
    _refuse_if_scheduled(guide)
    revision = record_revision(guide, user, at=at)
    revision.signed_off_by = reviewer
    revision.signed_off_user = user
    revision.signed_off_at = at or timezone.now()
    revision.save(update_fields=["signed_off_by", "signed_off_user", "signed_off_at"])
    signals.signed_off.send(Guide, guide=guide, user=user, revision=revision)
    return revision


@transaction.atomic
def request_changes(*, guide, user, comment, at=None):
    """Send the version in review back to its editors with the reviewer's comment; the guide is a draft again."""
    _require(user, "guides.sign_off_guide", "review guides")
    if not comment.strip():
        raise ValidationError("Say what should change, so the editor knows what to fix.")
    if guide.status != Guide.Status.IN_REVIEW:
        raise ValidationError("Only a guide in review can be sent back.")
    _refuse_if_scheduled(guide)
    at = at or timezone.now()
    revision = record_revision(guide, user, at=at)
    revision.changes_requested_by = user
    revision.changes_requested_at = at
    revision.review_comment = comment.strip()
    revision.signed_off_by = revision.signed_off_user = revision.signed_off_at = None
    revision.save()
    guide.status = Guide.Status.DRAFT
    guide.save(update_fields=["status"])
    signals.changes_requested.send(Guide, guide=guide, user=user, revision=revision)
    return revision


@transaction.atomic
def publish(*, guide, user, change_note="", override_reason="", go_live_at=None, at=None):
    """Publish the guide's signed-off current version now or at `go_live_at`.

    Blocking checks stop it; other failing checks need `override_reason`,
    which is kept on the revision with the checks it overrode. A change that
    moves a rank or the evidence grade needs a note for readers.
    """
    _require(user, "guides.publish_guide", "publish guides")
    now = at or timezone.now()
    go_live_at = go_live_at or now
    if guide.status != Guide.Status.IN_REVIEW:
        raise ValidationError("Only a guide in review can be published.")
    _refuse_if_scheduled(guide)
    problems = publish_checks(guide, at=now)
    blocking = [p.message for p in problems if p.blocking]
    if blocking:
        raise ValidationError(blocking)
    overridden = [p.message for p in problems if not p.blocking]
    if overridden and not override_reason.strip():
        raise ValidationError(["Write why you publish over these checks: " + " ".join(overridden)])
    revision = current_revision(guide)
    required = suggested_change_note(guide)
    if required and not change_note.strip():
        raise ValidationError([f"Say what changed for readers; this version changes: {required}"])
    revision.change_note = change_note.strip()
    revision.override_reason = override_reason.strip() if overridden else ""
    revision.overridden_checks = overridden
    revision.published_by = user
    revision.published_at = go_live_at
    revision.save()
    if guide.is_pending_change:
        guide.scheduled_for = go_live_at
        guide.save(update_fields=["scheduled_for"])
        if go_live_at <= now:
            apply_change(guide, at=now)
    else:
        _go_live(guide, revision, go_live_at)
    # A change put in place now is gone (its content is the guide's); a scheduled one waits as itself.
    signals.published.send(Guide, guide=guide if guide.pk else guide.live_guide, user=user, revision=revision)
    Assignment.objects.filter(guide=guide.live_guide).delete()  # the work is done
    return revision


def _go_live(guide, revision, go_live_at):
    first = guide.published_at is None
    guide.status = Guide.Status.PUBLISHED
    if first:
        guide.published_at = go_live_at
    previous = guide.revisions.exclude(pk=revision.pk).exclude(published_at=None).order_by("-number").first()
    if first or previous is None or previous.content_hash != revision.content_hash:
        guide.updated_at = go_live_at
    guide.last_reviewed_on = timezone.localdate(revision.signed_off_at)
    Guide.objects.filter(pk=guide.pk).update(
        status=guide.status,
        published_at=guide.published_at,
        updated_at=guide.updated_at,
        last_reviewed_on=guide.last_reviewed_on,
    )


@transaction.atomic
def cancel_schedule(*, guide, user, at=None):
    """Take a guide or change scheduled for later back to "in review, signed off", to edit or publish again."""
    _require(user, "guides.publish_guide", "cancel scheduled publishing")
    if not guide.is_scheduled(at):
        raise ValidationError("This guide is not scheduled.")
    revision = current_revision(guide)
    revision.published_at = revision.published_by = None
    revision.save(update_fields=["published_at", "published_by"])
    if guide.is_pending_change:
        guide.scheduled_for = None
        guide.save(update_fields=["scheduled_for"])
    else:
        # Scheduled for its first publication: it has never been live.
        Guide.objects.filter(pk=guide.pk).update(
            status=Guide.Status.IN_REVIEW,
            published_at=None,
            updated_at=None,
            last_reviewed_on=None,
        )
        guide.refresh_from_db()
    return guide


@transaction.atomic
def apply_change(pending, at=None):
    """Replace the guide's content with its pending change's, then drop the copy."""
    guide = Guide.objects.select_for_update().get(pk=pending.pending_change_of_id)
    revision = current_revision(pending)
    set_content(guide, content_of(pending))
    save_content(guide)
    copy_parts(pending, guide)
    pending.delete()
    _go_live(guide, revision, revision.published_at or at or timezone.now())


def publish_due_for(guide, at=None):
    """Put a guide's scheduled change live if its time has passed."""
    due = list(Guide.objects.due_changes(at).filter(pending_change_of=guide))
    for pending in due:
        apply_change(pending, at=at)
    return bool(due)


def next_scheduled_change(guide):
    """When the guide's earliest scheduled change goes live, or None."""
    pending = Guide.objects.pending_changes().filter(pending_change_of=guide, scheduled_for__isnull=False)
    return pending.aggregate(at=Min("scheduled_for"))["at"]


def publish_due(at=None):
    """Put every pending change whose time has come live; returns how many."""
    due = list(Guide.objects.due_changes(at))
    for pending in due:
        apply_change(pending, at=at)
    return len(due)


@transaction.atomic
def unpublish(*, guide, user):
    _require(user, "guides.publish_guide", "unpublish guides")
    if guide.is_pending_change or guide.status != Guide.Status.PUBLISHED:
        raise ValidationError("Only a published guide can be unpublished.")
    guide.status = Guide.Status.UNPUBLISHED
    guide.save(update_fields=["status"])


@transaction.atomic
def revert(*, guide, revision, user):
    """Make an earlier version the guide's current content, to be reviewed again."""
    _require(user, "guides.change_guide", "edit guides")
    _refuse_if_scheduled(guide)
    target = start_change(guide=guide, user=user) if guide.is_locked else guide
    _refuse_if_scheduled(target)
    restore(target, revision.content)
    if target.status == Guide.Status.IN_REVIEW:
        target.status = Guide.Status.DRAFT
        target.save(update_fields=["status"])
    record_revision(target, user)
    return target


@transaction.atomic
def assign(*, guide, user, assignee, due_on=None, note=""):
    """Give the guide (or pending change) to `assignee`, replacing whoever had it."""
    _require(user, "guides.change_guide", "assign guides")
    if not (assignee.is_active and assignee.is_staff and assignee.has_perm("guides.change_guide")):
        raise ValidationError(f"{assignee.get_full_name() or assignee.get_username()} may not edit guides.")
    assignment, _ = Assignment.objects.update_or_create(
        guide=guide,
        defaults={
            "assignee": assignee,
            "due_on": due_on,
            "note": note.strip(),
            "assigned_by": user,
            "assigned_at": timezone.now(),
        },
    )
    signals.assigned.send(Guide, guide=guide, user=user, assignment=assignment)
    return assignment


@transaction.atomic
def unassign(*, guide, user):
    _require(user, "guides.change_guide", "assign guides")
    Assignment.objects.filter(guide=guide).delete()
