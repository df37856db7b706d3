"""What guide pages and the editors' queues read: querysets and page data, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from evidence.models import Study
from products.models import MerchantFeed, best_offer
from products.shop_links import has_shop_links

from . import citations
from .models import Assignment, Category, Guide, GuideRevision, KeyBenefit, RankedProduct, Reviewer, cited_studies
from .parts import PARTS, text_in_page_order


def guide_cards(guides):
    """Published guides as the home, list and category pages show them.

    Products are counted by a subquery, which PostgreSQL runs only for the guides a page shows: a Count()
    over the join would group by every column the cards select, sorting or hashing whole guides, on disk
    once they outgrow work_mem.
    """
    ranked = RankedProduct.objects.filter(guide=OuterRef("pk")).order_by()
    return (
        guides.select_related("category__parent__parent", "reviewer")
        .annotate(
            product_count=Subquery(
                ranked.annotate(n=Func("pk", function="COUNT", output_field=IntegerField())).values("n")
            ),
        )
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
    return GuideRevision.objects.notes_for_readers().filter(guide=guide.live_guide)


def recent_changes(at=None):
    """What changed across every published guide, newest first, each note with its guide."""
    return (
        GuideRevision.objects.notes_for_readers(at)
        .filter(guide__in=Guide.objects.published(at))
        .select_related("guide__category__parent__parent")
    )


def reviewers_with_guides():
    """Reviewers who have checked at least one published guide, each with those guides, in two queries."""
    published = Guide.objects.published()
    return (
        Reviewer.objects.filter(guides__in=published)
        .distinct()
        .prefetch_related(Prefetch("guides", queryset=published.order_by("title"), to_attr="published_guides"))
        .order_by("name")
    )


def categories_with_guides():
    """The category tree with each category's published guides as `guide_list`, in three queries."""
    tree = category_tree()
    by_category = {}
    for guide in guide_cards(Guide.objects.published()).order_by("title"):
        by_category.setdefault(guide.category_id, []).append(guide)
    for top in tree:
        top.guide_list = by_category.get(top.pk, [])
        for child in top.child_list:
            child.guide_list = by_category.get(child.pk, [])
    return tree


@dataclass
class Glance:
    """What the at-a-glance box shows beside the guide's grade and typical dose."""

    best_pick: Any = None  # the top-ranked product, as the page prefetched it
    best_offer: Any = None
    avoid: list = field(default_factory=list)  # critical and caution warnings that say who should avoid it


def at_a_glance(guide, ranked_products):
    top = ranked_products[0] if ranked_products else None
    return Glance(
        best_pick=top,
        best_offer=best_offer(top.product.active_offers) if top else None,
        avoid=[warning for warning in guide.safety_warnings.all() if warning.warns_off],
    )


def links_to_shops(guide):
    """True when any of the guide's text links to a shop, so the page needs the affiliate disclosure."""
    return any(has_shop_links(getattr(piece, html_field)) for piece, html_field in text_in_page_order(guide))


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
            part.claim_citations = references.cite_run([link.study for link in part.claim.evidence])
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
