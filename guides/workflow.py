"""How a guide goes from draft to readers: revisions, sign-off, the publish gate.

A guide is edited in place until it is first published. After that the live
guide is locked: editors work on a pending change (a copy of the guide with
its parts, `draft_of` pointing at the live one), which replaces the live
content only when a reviewer has signed off its current version and an
editor publishes it. Readers therefore never see half-finished edits, and
the guide's parts need no versioning of their own.

Every save that changes content stores a `GuideRevision` snapshot on the
live guide: the history, the diff, the version a sign-off names and the
source of a revert.
"""

import difflib
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from evidence.models import Study
from products.models import Offer

from . import citations
from .models import (
    FAQ,
    Citation,
    Complaint,
    Guide,
    GuideRevision,
    KeyBenefit,
    RankedProduct,
    SafetyWarning,
    Section,
    SiteSettings,
)

# The guide's own content; workflow fields (status, dates, locks) are not content.
CONTENT_FIELDS = [
    "title",
    "slug",
    "category",
    "evidence_grade",
    "grade_override_reason",
    "reviewer",
    "intro",
    "intro_html",
    "expert_take",
    "expert_take_html",
    "featured",
]

# Each ordered part: (related name, model, what names one row in a diff).
PARTS = [
    ("key_benefits", KeyBenefit, "title"),
    ("ranked_products", RankedProduct, "rank"),
    ("sections", Section, "heading"),
    ("complaints", Complaint, "complaint"),
    ("safety_warnings", SafetyWarning, "severity"),
    ("faqs", FAQ, "question"),
    ("citations", Citation, "study"),
]
PART_LABELS = {
    "key_benefits": "Key benefit",
    "ranked_products": "Ranked product",
    "sections": "Section",
    "complaints": "Complaint",
    "safety_warnings": "Safety warning",
    "faqs": "FAQ",
    "citations": "Reference",
}


def _part_fields(model):
    return [
        f.name for f in model._meta.concrete_fields if f.name not in {"id", "guide"} and not f.name.endswith("_html")
    ] + [f.name for f in model._meta.concrete_fields if f.name.endswith("_html")]


def snapshot(guide):
    """The guide's content and parts as plain JSON-ready data."""
    data = {"guide": {name: _value(guide, name) for name in CONTENT_FIELDS}}
    for related, model, _ in PARTS:
        rows = getattr(guide, related).order_by(*model._meta.ordering, "pk")
        data[related] = [{name: _value(row, name) for name in _part_fields(model)} for row in rows]
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _value(obj, name):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def content_hash(content):
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def current_revision(guide):
    return guide.root.revisions.order_by("-number").first()


def record_revision(guide, user):
    """Store the guide's content as a new revision if it changed since the last one."""
    content = snapshot(guide)
    digest = content_hash(content)
    root = guide.root
    latest = current_revision(guide)
    if latest and latest.content_hash == digest:
        return latest
    return GuideRevision.objects.create(
        guide=root,
        number=(latest.number + 1) if latest else 1,
        created_by=user,
        content=content,
        content_hash=digest,
    )


def copy_content(source, target):
    """Make `target` hold `source`'s content and parts (both saved guides)."""
    _set_content(target, {name: getattr(source, Guide._meta.get_field(name).attname) for name in CONTENT_FIELDS})
    target.save_base(update_fields=[Guide._meta.get_field(name).attname for name in CONTENT_FIELDS])
    for related, model, _ in PARTS:
        getattr(target, related).all().delete()
        rows = list(getattr(source, related).all())
        for row in rows:
            row.pk = None
            row.guide = target
        model.objects.bulk_create(rows)


def _set_content(guide, values):
    for name in CONTENT_FIELDS:
        field = Guide._meta.get_field(name)
        setattr(guide, field.attname, values[name])


def restore_content(guide, content):
    """Put a revision's content back into an editable guide."""
    _set_content(guide, content["guide"])
    # save_base: the stored HTML is the one that was reviewed; keep it rather than re-render.
    guide.save_base(update_fields=[Guide._meta.get_field(name).attname for name in CONTENT_FIELDS])
    for related, model, _ in PARTS:
        getattr(guide, related).all().delete()
        rows = []
        for values in content.get(related, []):
            row = model(guide=guide)
            for name, value in values.items():
                setattr(row, model._meta.get_field(name).attname, value)
            rows.append(row)
        model.objects.bulk_create(rows)


# --- The publish gate -------------------------------------------------------


@dataclass(frozen=True)
class Check:
    message: str
    blocking: bool  # True: no one may publish over it; False: an editor may, with a reason


def publish_checks(guide, at=None):
    """Every reason `guide` is not ready to publish, in plain words for editors."""
    at = at or timezone.now()
    problems = []
    revision = current_revision(guide)
    if revision is None or not revision.is_signed_off:
        problems.append(Check("No reviewer has signed off the current version.", blocking=True))
    missing = guide.reviewer.missing_credentials
    if missing:
        problems.append(
            Check(f"The reviewer {guide.reviewer.name} has no {', '.join(missing)} on file.", blocking=True),
        )
    # Every marker on the page, looked up in one query.
    markers = [key for part, field in guide.text_in_page_order() for key in citations.markers_in(getattr(part, field))]
    found = citations.resolve(set(markers))
    unresolved = [f"[@{key}]" for key in dict.fromkeys(markers) if key not in found]
    if unresolved:
        problems.append(Check(f"Citation markers match no study: {', '.join(unresolved)}.", blocking=True))
    benefits = guide.key_benefits.select_related("claim").prefetch_related("claim__claim_studies__study")
    for benefit in benefits:
        if benefit.claim is None or not benefit.claim.claim_studies.all():
            problems.append(Check(f"The key benefit “{benefit.title}” cites no study.", blocking=True))
    retracted = Study.objects.filter(
        Q(citations__guide=guide) | Q(claim_links__claim__key_benefits__guide=guide),
        retracted=True,
    ).distinct()
    for study in retracted:
        problems.append(Check(f"The cited study “{study.title}” has been retracted.", blocking=True))
    ranked_products = list(guide.ranked_products.select_related("product__brand"))
    fresh = set(
        Offer.objects.active()
        .fresh(at)
        .filter(in_stock=True, product__in=[ranked.product_id for ranked in ranked_products])
        .values_list("product", flat=True),
    )
    for ranked in ranked_products:
        if ranked.product_id not in fresh:
            problems.append(
                Check(
                    f"The ranked product #{ranked.rank} {ranked.product} has no in-stock offer with a fresh price.",
                    blocking=False,
                ),
            )
    if not guide.intro.strip():
        problems.append(Check("The guide has no intro.", blocking=False))
    if not SiteSettings.load().medical_disclaimer.strip():
        problems.append(Check("The site's medical disclaimer is empty.", blocking=True))
    claims = [benefit.claim for benefit in benefits if benefit.claim]
    if guide.grade_exceeds(claims) and not guide.grade_override_reason.strip():
        problems.append(
            Check("The evidence grade is higher than the key benefits' claims support, with no reason given.", True),
        )
    return problems


# --- Transitions --------------------------------------------------------------


def _require(user, perm, action):
    if not user.has_perm(perm):
        raise PermissionDenied(f"You may not {action}.")


def start_change(*, guide, user):
    """The pending change editors work on for a live guide (made on first need)."""
    _require(user, "guides.change_guide", "edit guides")
    if guide.draft_of_id:
        return guide
    existing = Guide.objects.filter(draft_of=guide).first()
    if existing:
        return existing
    with transaction.atomic():
        draft = Guide(draft_of=guide, status=Guide.Status.DRAFT)
        _set_content(draft, {name: getattr(guide, Guide._meta.get_field(name).attname) for name in CONTENT_FIELDS})
        draft.save_base()  # the HTML is copied as it was signed off, not re-rendered
        for related, model, _ in PARTS:
            rows = list(getattr(guide, related).all())
            for row in rows:
                row.pk = None
                row.guide = draft
            model.objects.bulk_create(rows)
    return draft


def submit_for_review(*, guide, user):
    _require(user, "guides.change_guide", "edit guides")
    if guide.status not in {Guide.Status.DRAFT, Guide.Status.UNPUBLISHED}:
        raise ValidationError(f"Only a draft can go to review; this guide is {guide.get_status_display().lower()}.")
    record_revision(guide, user)
    guide.status = Guide.Status.IN_REVIEW
    guide.save(update_fields=["status"])


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
    live = guide.root.revisions.published().order_by("-number").first()
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
        from products.models import Product

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
    if guide.draft_of_id:
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
def apply_change(draft, at=None):
    """Replace the live guide's content with its pending change, then drop the copy."""
    live = Guide.objects.select_for_update().get(pk=draft.draft_of_id)
    revision = current_revision(draft)
    copy_content(draft, live)
    draft.delete()
    _go_live(live, revision, revision.published_at or at or timezone.now())


def publish_due_for(guide, at=None):
    """Put a live guide's scheduled change live if its time has passed."""
    due = list(Guide.objects.due_changes(at).filter(draft_of=guide))
    for draft in due:
        apply_change(draft, at=at)
    return bool(due)


def publish_due(at=None):
    """Put every pending change whose time has come live; returns how many."""
    due = list(Guide.objects.due_changes(at))
    for draft in due:
        apply_change(draft, at=at)
    return len(due)


def unpublish(*, guide, user):
    _require(user, "guides.publish_guide", "unpublish guides")
    if guide.draft_of_id or guide.status != Guide.Status.PUBLISHED:
        raise ValidationError("Only a published guide can be unpublished.")
    guide.status = Guide.Status.UNPUBLISHED
    guide.save(update_fields=["status"])


def revert(*, guide, revision, user):
    """Make an earlier version the guide's current content, to be reviewed again."""
    _require(user, "guides.change_guide", "edit guides")
    target = start_change(guide=guide, user=user) if guide.is_locked else guide
    restore_content(target, revision.content)
    if target.status == Guide.Status.IN_REVIEW:
        target.status = Guide.Status.DRAFT
        target.save(update_fields=["status"])
    record_revision(target, user)
    return target


# --- History --------------------------------------------------------------------


def diff(old, new):
    """Readable line diffs between two revisions' content, by field and part."""
    changes = []
    for name in CONTENT_FIELDS:
        if name.endswith("_html"):
            continue
        before, after = old["guide"].get(name), new["guide"].get(name)
        if before != after:
            changes.append((Guide._meta.get_field(name).verbose_name.capitalize(), _text_diff(before, after)))
    for related, _model, key in PARTS:
        label = PART_LABELS[related]
        before_rows, after_rows = old.get(related, []), new.get(related, [])
        for index in range(max(len(before_rows), len(after_rows))):
            before = before_rows[index] if index < len(before_rows) else None
            after = after_rows[index] if index < len(after_rows) else None
            visible = {k: v for k, v in (after or {}).items() if not k.endswith("_html")}
            old_visible = {k: v for k, v in (before or {}).items() if not k.endswith("_html")}
            if visible != old_visible:
                name = (after or before).get(key)
                changes.append((f"{label} {index + 1} ({name})", _text_diff(_rows_text(before), _rows_text(after))))
    return changes


def _rows_text(row):
    if row is None:
        return ""
    return "\n".join(f"{k}: {v}" for k, v in row.items() if not k.endswith("_html"))


def _text_diff(before, after):
    before = "" if before is None else str(before)
    after = "" if after is None else str(after)
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))[2:]
