"""How a guide goes from draft to readers: review, sign-off, publishing and changes.

A guide is edited in place until it is first published. After that it is
locked: editors work on a pending change (a copy of the guide with its parts,
`pending_change_of` pointing at the guide), which replaces the guide's
content only when a reviewer has signed off its current version and an
editor publishes it. Readers therefore never see half-finished edits, and
the guide's parts need no versioning of their own.

Each transition is one function here, one transaction, called alike by the
admin, commands and jobs; each checks the user's permission itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from products.models import Product

from .checks import publish_checks
from .models import Guide
from .parts import copy_parts
from .revisions import content_of, current_revision, record_revision, restore, save_content, set_content


def _require(user, perm, action):
    if not user.has_perm(perm):
        raise PermissionDenied(f"You may not {action}.")


@transaction.atomic
def start_change(*, guide, user):
    """The pending change editors work on for a published guide (made on first need)."""
    _require(user, "guides.change_guide", "edit guides")
    if guide.is_pending_change:
        return guide
    existing = Guide.objects.filter(pending_change_of=guide).first()
    if existing:
        return existing
    pending = Guide(pending_change_of=guide, status=Guide.Status.DRAFT)
    set_content(pending, content_of(guide))
    pending.save_base()  # the HTML is copied as it was signed off, not re-rendered
    copy_parts(guide, pending)
    return pending


@transaction.atomic
def submit_for_review(*, guide, user):
    _require(user, "guides.change_guide", "edit guides")
    if guide.status not in {Guide.Status.DRAFT, Guide.Status.UNPUBLISHED}:
        raise ValidationError(f"Only a draft can go to review; this guide is {guide.get_status_display().lower()}.")
    record_revision(guide, user)
    guide.status = Guide.Status.IN_REVIEW
    guide.save(update_fields=["status"])


@transaction.atomic
def sign_off(*, guide, user, at=None):
    """Record that a credentialed reviewer approved the guide's current version."""
    _require(user, "guides.sign_off_guide", "sign off guides")
    reviewer = getattr(user, "reviewer_profile", None)
    if reviewer is None:
        raise PermissionDenied("Your login is not linked to a reviewer profile, so you cannot sign off.")
    if reviewer.missing_credentials:
        raise ValidationError(f"Add your {', '.join(reviewer.missing_credentials)} to your reviewer profile first.")
    if guide.status != Guide.Status.IN_REVIEW:
        raise ValidationError("Send the guide to review before signing it off.")
    revision = record_revision(guide, user)
    revision.signed_off_by = reviewer
    revision.signed_off_user = user
    revision.signed_off_at = at or timezone.now()
    revision.save(update_fields=["signed_off_by", "signed_off_user", "signed_off_at"])
    return revision


def suggested_change_note(guide):
    """Lines for "What changed" that rank and evidence changes always need."""
    live = guide.live_guide.revisions.published().order_by("-number").first()
    current = current_revision(guide)
    if live is None or current is None:
        return ""
    return "\n".join(significant_changes(live.content, current.content))


def significant_changes(old, new):
    lines = []
    if old["guide"]["evidence_grade"] != new["guide"]["evidence_grade"]:
        lines.append(
            f"Evidence grade changed from {old['guide']['evidence_grade']} to {new['guide']['evidence_grade']}.",
        )
    old_ranks = {row["product"]: row["rank"] for row in old.get("ranked_products", [])}
    new_ranks = {row["product"]: row["rank"] for row in new.get("ranked_products", [])}
    if old_ranks != new_ranks:
        names = {p.pk: str(p) for p in Product.objects.filter(pk__in={*old_ranks, *new_ranks}).select_related("brand")}
        for product, rank in sorted(new_ranks.items(), key=lambda item: item[1]):
            if product not in old_ranks:
                lines.append(f"Added {names.get(product, 'a product')} at #{rank}.")
            elif old_ranks[product] != rank:
                lines.append(f"{names.get(product, 'A product')} moved from #{old_ranks[product]} to #{rank}.")
        for product, rank in old_ranks.items():
            if product not in new_ranks:
                lines.append(f"Removed {names.get(product, 'a product')} (was #{rank}).")
    return lines


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
    target = start_change(guide=guide, user=user) if guide.is_locked else guide
    restore(target, revision.content)
    if target.status == Guide.Status.IN_REVIEW:
        target.status = Guide.Status.DRAFT
        target.save(update_fields=["status"])
    record_revision(target, user)
    return target
