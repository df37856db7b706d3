"""What guide pages and the editors' queues read: querysets and page data, in a fixed number of queries."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from evidence.models import Study
from products.models import MerchantFeed

from . import citations
from .models import Category, Guide, GuideRevision, KeyBenefit, cited_studies
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
        "Cites a study with a notice since it was last reviewed": published.filter(
            Exists(
                cited_studies(OuterRef("pk")).filter(notices__found_at__date__gte=OuterRef("last_reviewed_on")),
            ),
        ),
        "Shows a stale or unavailable price": published.with_stale_prices(at),
        "Ranks a product whose merchant's price feed is failing": published.filter(
            ranked_products__product__offers__merchant__feed__in=MerchantFeed.objects.failing(),
        ).distinct(),
        "Ranks a product whose shop link is broken": published.filter(
            ranked_products__product__offers__link_broken_since__isnull=False,
        ).distinct(),
        "Has open error reports from readers": Guide.objects.with_open_reports(),
    }
