"""What guide pages and the editors' queues read: querysets and page data, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from evidence.models import Study
from products.models import best_offer
from products.shop_links import has_shop_links

from . import citations
from .models import Category, Guide, GuideRevision, KeyBenefit, Reviewer
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


def review_queue(at=None):
    """What editors should look at, grouped by why."""
    at = at or timezone.now()
    months = getattr(settings, "GLUTASITE_REVIEW_AFTER_MONTHS", 12)
    published = Guide.objects.exclude_pending_changes().filter(status=Guide.Status.PUBLISHED).select_related("reviewer")
    reviewed_before = timezone.localdate(at) - timedelta(days=round(months * 30.44))
    return {
        "In review": Guide.objects.filter(status=Guide.Status.IN_REVIEW).select_related("pending_change_of"),
        "Changed since sign-off": published.changed_since_sign_off(),
        f"Last reviewed more than {months} months ago": published.filter(last_reviewed_on__lt=reviewed_before),
        "Cites a retracted study": published.citing_retracted(),
        "Shows a stale or unavailable price": published.with_stale_prices(at),
        "Has open error reports from readers": Guide.objects.with_open_reports(),
    }
