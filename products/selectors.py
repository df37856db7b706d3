"""What the product pages read: querysets in a fixed number of queries, whatever the catalogue's size."""

import re

from django.db.models import F, FloatField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast

from .models import Offer, Product

SORTS = {
    "price": ("Price per serving, lowest first", [F("price_per_serving").asc(nulls_last=True), "brand__name", "name"]),
    "name": ("Name, A to Z", ["brand__name", "name"]),
}
ANY_TEST = "tested"  # the certification filter's "any third-party test"


def with_price_per_serving(products, at=None):
    """Annotate `price_per_serving`: of the cheapest offer a reader can buy now, in its currency, else None.

    Sorting by it mixes currencies; the site lists one currency per market.
    """
    cheapest = Offer.objects.buyable(at).filter(product=OuterRef("pk")).order_by("price")
    # A float for sorting only (pages show the offer's own rounded price); SQLite would divide whole numbers.
    best_price = Cast(Subquery(cheapest.values("price")[:1]), FloatField())
    return products.annotate(price_per_serving=best_price / F("servings_per_container"))


def certification_names():
    """Every testing seal some product carries, in one query, A to Z."""
    names = set()
    for certifications in Product.objects.exclude(certifications="").values_list("certifications", flat=True):
        names.update(c.strip() for c in certifications.split(";") if c.strip())
    return sorted(names, key=str.casefold)


def has_certification(name):
    """Products listing this seal among their semicolon-separated certifications, ignoring capitals."""
    return Q(certifications__iregex=rf"(^|;)\s*{re.escape(name)}\s*(;|$)")


def product_list(*, form="", certification="", sort="price"):
    offers = Offer.objects.active().select_related("merchant").with_freshness().order_by("price")
    products = with_price_per_serving(Product.objects.select_related("brand")).prefetch_related(
        Prefetch("offers", queryset=offers, to_attr="active_offers"),
    )
    if form:
        products = products.filter(form=form)
    if certification == ANY_TEST:
        products = products.exclude(certifications="")
    elif certification:
        products = products.filter(has_certification(certification))
    return products.order_by(*SORTS[sort or "price"][1])
