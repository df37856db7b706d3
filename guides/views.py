from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from evidence.models import ClaimStudy, Study
from products.models import Offer

from . import citations, workflow
from .models import Citation, Guide, GuideRevision, KeyBenefit, RankedProduct, Reviewer, SiteSettings


def home(request):
    guides = (
        Guide.objects.published()
        .select_related("category__parent", "reviewer")
        .annotate(product_count=Count("ranked_products"))
        .order_by("-updated_at", "-published_at")
    )
    return render(request, "guides/home.html", {"guides": guides})


def guide_page(guides):
    """Guides with everything their page shows, in a fixed number of queries."""
    offers = Offer.objects.active().select_related("merchant").with_freshness().order_by("price")
    ranked = RankedProduct.objects.select_related("product__brand").prefetch_related(
        Prefetch("product__offers", queryset=offers, to_attr="active_offers"),
    )
    benefits = KeyBenefit.objects.select_related("claim").prefetch_related(
        Prefetch("claim__claim_studies", queryset=ClaimStudy.objects.select_related("study")),
    )
    return guides.select_related("category__parent__parent", "reviewer").prefetch_related(
        Prefetch("key_benefits", queryset=benefits),
        Prefetch("ranked_products", queryset=ranked),
        "sections",
        "complaints",
        "safety_warnings",
        "faqs",
        Prefetch("citations", queryset=Citation.objects.select_related("study")),
    )


def guide_detail(request, slug):
    """The live guide for readers; for staff, its pending change if there is one.

    Staff add `?live=1` to see exactly what readers see.
    """
    if request.user.has_perm("guides.view_guide"):
        live = get_object_or_404(Guide.objects.live(), slug=slug)
        shown = live.pk
        if "live" not in request.GET:
            shown = Guide.objects.filter(draft_of=live).values_list("pk", flat=True).first() or live.pk
        guide = get_object_or_404(guide_page(Guide.objects.all()), pk=shown)
    else:
        guide = get_object_or_404(guide_page(Guide.objects.published().with_change_due()), slug=slug)
        if guide.change_due:
            # A scheduled change is live on time even when publish_scheduled has not run yet.
            workflow.publish_due_for(guide)
            guide = get_object_or_404(guide_page(Guide.objects.published()), slug=slug)
    root = guide.root
    return render(
        request,
        "guides/guide_detail.html",
        {
            "guide": guide,
            "live_guide": root,
            "ranked_products": guide.ranked_products.all(),
            "references": number_citations(guide),
            "claims_grade_exceeded": guide.grade_exceeds(
                [benefit.claim for benefit in guide.key_benefits.all() if benefit.claim],
            ),
            "changes": GuideRevision.objects.published()
            .filter(guide=root)
            .exclude(change_note="")
            .order_by("-published_at"),
            "site": SiteSettings.load(),
        },
    )


def number_citations(guide):
    """Number the guide's citations in page order, in place, and return the reference list.

    Studies come from the prefetched references and claims; a study only a
    marker cites (its reference row removed since) costs one more query.
    """
    parts = list(guide.text_in_page_order())
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


def reviewer_detail(request, slug):
    reviewer = get_object_or_404(Reviewer, slug=slug)
    guides = Guide.objects.published().filter(reviewer=reviewer).select_related("category")
    return render(request, "guides/reviewer_detail.html", {"reviewer": reviewer, "guides": guides})
