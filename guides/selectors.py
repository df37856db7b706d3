"""What guide pages and the editors' queues read: querysets and page data, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from evidence.models import Study
from products.models import MerchantFeed

from . import citations
from .models import Assignment, Category, Guide, GuideRevision, KeyBenefit, cited_studies
from .parts import PARTS, text_in_page_order


def guide_cards(guides):
    """Published guides as the home, list and category pages show them."""
    return (
        guides.select_related("category__parent__parent", "reviewer")
        .annotate(product_count=Count("ranked_products"))
        .order_by("-updated_at", "-published_at", "title")
    )


def category_tree():
    """Top-level categories with their children and how many published guides each holds, in two queries."""
    per_category = Guide.objects.published().order_by().values("category").annotate(n=Count("pk"))
    counts = dict(per_category.values_list("category", "n"))
    categories = list(Category.objects.order_by("name"))
    by_parent = {}
    for category in categories:
        category.guide_count = counts.get(category.pk, 0)
        by_parent.setdefault(category.parent_id, []).append(category)
    top = by_parent.get(None, [])
    for category in top:
        category.child_list = [child for child in by_parent.get(category.pk, []) if child.guide_count]
        category.total = category.guide_count + sum(child.guide_count for child in category.child_list)
    return [category for category in top if category.total]


def guides_in_category(category):
    return guide_cards(Guide.objects.published().filter(Q(category=category) | Q(category__parent=category)))


def guide_page(guides):
    """Guides with everything their page shows: one query per part, whatever the guide's size."""
    return guides.select_related("category__parent__parent", "reviewer").prefetch_related(
        *(part.page_prefetch() for part in PARTS),
    )


def guide_changes(guide):
    """The published versions' notes for readers ("What changed"), newest first."""
    return (
        GuideRevision.objects.published()
        .filter(guide=guide.live_guide)
        .exclude(change_note="")
        .order_by("-published_at")
    )


def number_citations(guide):
    """Number the guide's citations in page order, in place, and return the reference list.

    Studies come from the prefetched references and claims; a study only a
    marker cites (its reference row removed since) costs one more query.
    """
    parts = list(text_in_page_order(guide))
    known = [citation.study for citation in guide.citations.all()]
    known += [link.study for benefit in guide.key_benefits.all() if benefit.claim for link in benefit.claim.evidence]
    cited = {pk for part, html_field in parts for pk in citations.cited_study_ids(getattr(part, html_field))}
    missing = cited - {study.pk for study in known}
    if missing:
        known += Study.objects.filter(pk__in=missing)
    references = citations.ReferenceList(known)
    for part, html_field in parts:
        setattr(part, html_field, references.number(getattr(part, html_field)))
        if isinstance(part, KeyBenefit) and part.claim:
            part.claim_citations = [references.cite(link.study) for link in part.claim.evidence]
    references.add_uncited(citation.study for citation in guide.citations.all())
    return references.entries


def with_current_revision(guides):
    """Annotate what the list pages say of each guide's newest version: number, sign-off, review comment.

    A pending change's versions are stored on its guide, hence the Coalesce.
    """
    newest = GuideRevision.objects.filter(
        guide=Coalesce(OuterRef("pending_change_of"), OuterRef("pk")),
    ).order_by("-number")
    return guides.annotate(
        current_number=Subquery(newest.values("number")[:1]),
        current_signed_off_at=Subquery(newest.values("signed_off_at")[:1]),
        current_submitted_at=Subquery(newest.values("submitted_at")[:1]),
        current_changes_requested_at=Subquery(newest.values("changes_requested_at")[:1]),
        current_review_comment=Subquery(newest.values("review_comment")[:1]),
    )


def guide_rows(guides):
    """Guides as the dashboard and the review queue list them: status, who has it and by when, in one query."""
    return with_current_revision(guides).select_related("assignment__assignee", "pending_change_of")


def in_review(guides=None):
    """In review and not scheduled yet (a scheduled change keeps its "in review" status until it goes live)."""
    guides = Guide.objects.all() if guides is None else guides
    return guides.filter(status=Guide.Status.IN_REVIEW, scheduled_for__isnull=True)


def awaiting_sign_off(user):
    """Guides in review whose current version this person is the one to sign off.

    Theirs when the guide names their reviewer profile, is assigned to them,
    or names a reviewer with no login (any reviewer may then sign it off).
    """
    mine = Q(reviewer__user=user) | Q(assignment__assignee=user) | Q(reviewer__user__isnull=True)
    return guide_rows(in_review().filter(mine)).filter(current_signed_off_at__isnull=True).order_by("pk")


def ready_to_publish():
    """Guides in review whose current version is signed off: an editor's next step."""
    return guide_rows(in_review()).filter(current_signed_off_at__isnull=False).order_by("pk")


def started_by(user):
    """This person's guides that readers do not see yet: new drafts and pending changes they started."""
    not_live = Q(pending_change_of__isnull=False) | ~Q(status=Guide.Status.PUBLISHED)
    return guide_rows(Guide.objects.filter(not_live, started_by=user)).order_by("-pk")


def assigned_to(user):
    """What this person has been given, soonest due first (no due date last)."""
    guides = Guide.objects.filter(assignment__assignee=user)
    return guide_rows(guides).order_by(F("assignment__due_on").asc(nulls_last=True), "pk")


def people_who_may(perm):
    """Active staff holding `perm` through their groups or their own permissions (the model backend holds
    permissions; the login-throttling backend beside it holds none)."""
    return (
        get_user_model()
        .objects.with_perm(perm, backend="django.contrib.auth.backends.ModelBackend")
        .filter(is_staff=True, is_active=True)
    )


@dataclass(frozen=True)
class QueueReason:
    key: str  # in the queue's address: ?reason=<key>
    label: str
    guides: Any  # a QuerySet of guides, rows as `guide_rows` makes them


def review_queue(at=None):
    """What editors should look at, grouped by why, each reason with its own address."""
    at = at or timezone.now()
    months = getattr(settings, "GLUTASITE_REVIEW_AFTER_MONTHS", 12)
    published = Guide.objects.exclude_pending_changes().filter(status=Guide.Status.PUBLISHED).select_related("reviewer")
    reviewed_before = timezone.localdate(at) - timedelta(days=round(months * 30.44))
    reasons = [
        ("in-review", "In review", in_review()),
        ("overdue", "Past its due date", Guide.objects.filter(assignment__in=Assignment.objects.overdue(at))),
        ("changed-since-sign-off", "Changed since sign-off", published.changed_since_sign_off()),
        (
            "review-due",
            f"Last reviewed more than {months} months ago",
            published.filter(last_reviewed_on__lt=reviewed_before),
        ),
        ("cites-retracted", "Cites a retracted study", published.citing_retracted()),
        (
            "study-notice",
            "Cites a study with a notice since it was last reviewed",
            published.filter(
                Exists(
                    cited_studies(OuterRef("pk")).filter(notices__found_at__date__gte=OuterRef("last_reviewed_on")),
                ),
            ),
        ),
        ("stale-price", "Shows a stale or unavailable price", published.with_stale_prices(at)),
        (
            "feed-failing",
            "Ranks a product whose merchant's price feed is failing",
            published.filter(
                pk__in=Guide.objects.filter(
                    ranked_products__product__offers__merchant__feed__in=MerchantFeed.objects.failing(),
                ).values("pk"),
            ),
        ),
        (
            "link-broken",
            "Ranks a product whose shop link is broken",
            published.filter(
                pk__in=Guide.objects.filter(ranked_products__product__offers__link_broken_since__isnull=False).values(
                    "pk",
                ),
            ),
        ),
        ("open-reports", "Has open error reports from readers", Guide.objects.with_open_reports()),
    ]
    return [QueueReason(key, label, guide_rows(guides).order_by("pk")) for key, label, guides in reasons]


def review_queue_reason(key, at=None):
    """The guides one reason of the review queue holds, by its key."""
    return next(reason.guides for reason in review_queue(at) if reason.key == key)
