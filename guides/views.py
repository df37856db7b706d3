from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from products.models import Offer

from .models import Citation, Guide, RankedProduct, Reviewer, SiteSettings


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
    guide = get_object_or_404(
        Guide.objects.visible_to(request.user)
        .select_related("category__parent__parent", "reviewer")
        .prefetch_related(
            "key_benefits",
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
            "site": SiteSettings.load(),
        },
    )


def reviewer_detail(request, slug):
    reviewer = get_object_or_404(Reviewer, slug=slug)
    guides = Guide.objects.published().filter(reviewer=reviewer).select_related("category")
    return render(request, "guides/reviewer_detail.html", {"reviewer": reviewer, "guides": guides})
