from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from evidence.models import ClaimStudy, Study
from products.models import Offer

from . import citations
from .models import Citation, Guide, KeyBenefit, RankedProduct, Reviewer, SiteSettings


def home(request):
    guides = (
        Guide.objects.published()
        .select_related("category__parent", "reviewer")
        .annotate(product_count=Count("ranked_products"))
        .order_by("-updated_at", "-published_at")
    )
    return render(request, "guides/home.html", {"guides": guides})


def guide_detail(request, slug):
    offers = Offer.objects.active().select_related("merchant").with_freshness().order_by("price")
    ranked = RankedProduct.objects.select_related("product__brand").prefetch_related(
        Prefetch("product__offers", queryset=offers, to_attr="active_offers"),
    )
    benefits = KeyBenefit.objects.select_related("claim").prefetch_related(
        Prefetch("claim__claim_studies", queryset=ClaimStudy.objects.select_related("study")),
    )
    guide = get_object_or_404(
        Guide.objects.visible_to(request.user)
        .select_related("category__parent__parent", "reviewer")
        .prefetch_related(
            Prefetch("key_benefits", queryset=benefits),
            Prefetch("ranked_products", queryset=ranked),
            "sections",
            "complaints",
            "safety_warnings",
            "faqs",
            Prefetch("citations", queryset=Citation.objects.select_related("study")),
        ),
        slug=slug,
    )
    return render(
        request,
        "guides/guide_detail.html",
        {
            "guide": guide,
            "ranked_products": guide.ranked_products.all(),
            "references": number_citations(guide),
            "claims_grade_exceeded": guide.grade_exceeds(
                [benefit.claim for benefit in guide.key_benefits.all() if benefit.claim],
            ),
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
