"""A reader's guide page: its text rendered once per content version, its prices on every request.

Most of a guide page is its text: sections, FAQ, safety warnings, references,
"What changed", the table of contents. Only a few blocks show prices: the best
pick "At a glance", the ranked picks, the comparison table, "Ready to try it?"
and the offers in the JSON-LD. The first request after a change renders the
whole page with a marker where each of those blocks goes and keeps it in the
`fragments` cache, keyed on the versions of the guide's tag and of
`everything` (glutasite/page_tags.py), which a save of anything the text shows
changes (readers/signals.py). Later requests fetch the guide, its ranked
products and their offers (three queries), draw the price blocks with the
prices as they are now, and put them in, so a price is never older than the
request and never hidden or shown past its freshness.

The marker carries a random secret made with the page, so no editor's text can
fake one.
"""

import secrets
from operator import attrgetter

from django.core.cache import caches
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from glutasite.page_tags import EVERYTHING, guide_tag, tag_versions

from . import structured_data
from .parts import ranked_products_for_page
from .templatetags.guides import page_address

TEMPLATE = "guides/guide_detail.html"
# Marker name: the template that draws it on each request.
PRICE_BLOCKS = {
    "structured-data": "guides/_structured_data.html",
    "best-pick": "guides/_best_pick.html",
    "ranked-products": "guides/blocks/_ranked_products.html",
    "comparison": "guides/blocks/_comparison.html",
    "cta-heading": "guides/blocks/_shop_top_pick.html",
}


def fragments():
    return caches["fragments"]


def page_key(request, guide):
    """Per guide, content version and address (the page names its own address, for links and sharing)."""
    versions = tag_versions([guide_tag(guide.pk), EVERYTHING])
    return (
        f"guide-page:{guide.pk}:{versions[guide_tag(guide.pk)]}:{versions[EVERYTHING]}:"
        f"{request.scheme}://{request.get_host()}{request.path}"
    )


def structured_page_items(request, guide):
    if guide.category_id is None or guide.reviewer_id is None:
        return None
    return structured_data.guide_page_items(guide, **page_address(request, guide))


def ranked_products_of(guide):
    """The guide's ranked products with their offers, in the order the page's full render puts them."""
    ranked_products = sorted(ranked_products_for_page(ordered=False).filter(guide=guide), key=attrgetter("rank", "pk"))
    for ranked in ranked_products:
        ranked.product.active_offers.sort(key=attrgetter("price", "pk"))
    return ranked_products


def render_page(request, guide, build_context):
    """The page's HTML and its ranked products. `build_context(guide)` gives the full page's context."""
    key = page_key(request, guide)
    stored = fragments().get(key)
    ranked_products = ranked_products_of(guide) if stored is not None else None
    if (
        stored is None
        or (stored["next_change_at"] is not None and stored["next_change_at"] <= timezone.now())
        or set(stored["verdicts"]) != {ranked.pk for ranked in ranked_products}
    ):
        context = build_context(guide)
        marker = secrets.token_hex(16)
        stored = {
            "html": render_to_string(TEMPLATE, {**context, "marker": marker}, request),
            "marker": marker,
            # Verdicts are the guide's text, with citation numbers in page order.
            "verdicts": {ranked.pk: ranked.verdict_html for ranked in context["ranked_products"]},
            # The text's affiliate disclosure stands before the first shop link: the price blocks need not repeat it.
            "disclosed": getattr(request, "affiliate_disclosure_shown", False),
            "structured_page_items": structured_page_items(request, context["guide"]),
            # A scheduled change puts new text live at this time, with or without a save.
            "next_change_at": context.get("next_change_at"),
        }
        fragments().set(key, stored)
        guide, ranked_products = context["guide"], list(context["ranked_products"])
    for ranked in ranked_products:
        ranked.verdict_html = stored["verdicts"][ranked.pk]
    request.affiliate_disclosure_shown = stored["disclosed"]
    html = stored["html"]
    context = {
        "guide": guide,
        "ranked_products": ranked_products,
        "structured_page_items": stored["structured_page_items"],
    }
    for name, template in PRICE_BLOCKS.items():
        placeholder = f"<!--{stored['marker']}:{name}-->"
        if placeholder in html:
            html = html.replace(placeholder, get_template(template).render(context, request))
    return html, ranked_products
