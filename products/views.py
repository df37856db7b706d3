import logging
import re
from urllib.parse import urlsplit

from django import forms
from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from glutasite.page_tags import PRODUCT_LISTS, guide_tag, product_tag, tag_page

from .models import AffiliateClick, Offer, PriceHistory, Product, ShopLink
from .selectors import ANY_TEST, SORTS, certification_names, product_list

# Crawlers, link unfurlers and scripts follow links without a reader behind them.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|fetch|preview|facebookexternalhit|embedly|headless|lighthouse|"
    r"curl|wget|python-requests|httpclient|http-client|java/|go-http|monitor",
    re.IGNORECASE,
)
# Products import nothing from guides: the guide page is known by its URL name and its model by label.
GUIDE_VIEW_NAME = "guides:guide_detail"
GUIDE_MODEL = "guides.Guide"
REFERRER_PATH_LENGTH = AffiliateClick._meta.get_field("referrer_path").max_length
GUIDE_SLUG_LENGTH = AffiliateClick._meta.get_field("guide_slug").max_length
# Where /go/ keeps an offer's link to follow while the database is unavailable, and for how long.
REMEMBERED_LINK = "go:link:{token}"
REMEMBER_LINK_SECONDS = 24 * 60 * 60

logger = logging.getLogger(__name__)


PRODUCTS_PER_PAGE = 24


class ProductFilterForm(forms.Form):
    form = forms.ChoiceField(label="Form", choices=[("", "Any form"), *Product.Form.choices], required=False)
    certification = forms.ChoiceField(label="Third-party testing", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seals = [(name, name) for name in certification_names()]
        self.fields["certification"].choices = [("", "Any, or none"), (ANY_TEST, "Any third-party test"), *seals]

    @property
    def filters_applied(self):
        return self.is_valid() and bool(self.cleaned_data["form"] or self.cleaned_data["certification"])


def product_index(request):
    tag_page(request, PRODUCT_LISTS)
    form = ProductFilterForm(request.GET)
    products = product_list(**form.cleaned_data) if form.is_valid() else Product.objects.none()
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "products/product_list.html", {"form": form, "page": page, "query": query.urlencode()})


product_index.reads_query = {"page", *ProductFilterForm.base_fields}  # the page cache keys on these only


def product_detail(request, slug):
    history = PriceHistory.objects.order_by("checked_at")
    offers = (
        Offer.objects.active()
        .select_related("merchant")
        .with_freshness()
        .prefetch_related(Prefetch("price_history", queryset=history))
        .order_by("price")
    )
    product = get_object_or_404(
        Product.objects.select_related("brand").prefetch_related(
            Prefetch("offers", queryset=offers, to_attr="active_offers"),
            # The reverse side of guides' rankings: products import nothing from guides.
            "rankings__guide",
        ),
        slug=slug,
    )
    rankings = [ranking for ranking in product.rankings.all() if ranking.guide.is_published]
    tag_page(request, product_tag(product.pk), *(guide_tag(ranking.guide_id) for ranking in product.rankings.all()))
    return render(request, "products/product_detail.html", {"product": product, "rankings": rankings})


def is_bot(request):
    user_agent = request.headers.get("User-Agent", "")
    prefetch = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent)) or "prefetch" in prefetch


def referring_page(request):
    """The path of our own page the reader came from, and its guide's slug: only a path that resolves
    to one of our pages is kept, whatever the `from` parameter or Referer header says."""
    candidates = [request.GET.get("from", "")]
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc == request.get_host():
        candidates.append(referer.path)
    for candidate in candidates:
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or len(parts.path) > REFERRER_PATH_LENGTH:
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.namespace == "admin" or match.url_name == "affiliate_redirect":
            continue
        guide_slug = match.kwargs.get("slug", "") if match.view_name == GUIDE_VIEW_NAME else ""
        if guide_slug and not guide_exists(guide_slug):
            continue  # any slug fits the guide's URL pattern: not one of our pages
        return parts.path, guide_slug
    return "", ""


def guide_exists(slug):
    if len(slug) > GUIDE_SLUG_LENGTH:
        return False
    return apps.get_model(GUIDE_MODEL)._default_manager.filter(slug=slug).exists()


@never_cache
@require_safe
def affiliate_redirect(request, token):
    """Send the reader on to the stored address of an offer or of a shop link in text, counting the click.

    The target is only ever the stored URL, never anything from the request. While the database
    is unavailable, a link looked up in the last day is still followed (the click is logged, not
    counted), so a reader on a cached guide page still reaches the shop.
    """
    try:
        offer = Offer.objects.active().filter(token=token).only("pk", "affiliate_url").first()
        shop_link = None if offer else ShopLink.objects.filter(token=token).only("pk", "url").first()
    except (OperationalError, InterfaceError):
        remembered = cache.get(REMEMBERED_LINK.format(token=token))
        if remembered is None:
            raise
        logger.warning("Click on /go/%s/ not counted: the database is unavailable.", token)
        return followed(HttpResponseRedirect(remembered))
    if offer is None and shop_link is None:
        return followed(page_not_found(request, Http404("No such link")))
    target = offer.affiliate_url if offer else shop_link.url
    if cache.get(REMEMBERED_LINK.format(token=token)) != target:
        cache.set(REMEMBERED_LINK.format(token=token), target, timeout=REMEMBER_LINK_SECONDS)
    if request.method == "GET" and not is_bot(request):
        path, guide_slug = referring_page(request)
        AffiliateClick.objects.create(offer=offer, shop_link=shop_link, referrer_path=path, guide_slug=guide_slug)
    return followed(HttpResponseRedirect(target))


def followed(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
