from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Offer, Product


def product_detail(request, slug):
    offers = Offer.objects.active().select_related("merchant").with_freshness().order_by("price")
    product = get_object_or_404(
        Product.objects.select_related("brand").prefetch_related(
            Prefetch("offers", queryset=offers, to_attr="active_offers"),
        ),
        slug=slug,
    )
    return render(request, "products/product_detail.html", {"product": product})
