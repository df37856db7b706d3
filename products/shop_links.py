"""Shop links editors type into text: sent through /go/ as offers' links are, marked sponsored.

When guide text is saved, `route_shop_links` gives every link to a known
merchant (its host is one of `Merchant.domains` or a subdomain of one) a
`ShopLink` row with its own unguessable token, and rewrites it to
`/go/<token>/` with rel="sponsored noopener" and the class "shop-link". The
sanitiser lets editors write no class attribute, so a shop-link in stored HTML
always comes from here: pages look for it to put the affiliate disclosure
before the first link. /go/ answers only with the address stored in the row.
"""

import re
from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse
from django.utils import timezone

from richtext.rewrite import rewrite_html, start_tag

from .models import Merchant, go_token_field

SHOP_LINK_CLASS = "shop-link"
MAX_URL_LENGTH = 1000


class ShopLink(models.Model):
    """A shop's address typed into editors' text, reached through /go/<token>/ as an offer's link is."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="shop_links")
    url = models.URLField("address", max_length=MAX_URL_LENGTH, unique=True)
    token = go_token_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        app_label = "products"
        ordering = ["merchant", "url"]

    def __str__(self):
        return self.url

    @property
    def redirect_url(self):
        return reverse("affiliate_redirect", kwargs={"token": self.token})


def merchant_for(url, merchants):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return None
    return next((merchant for merchant in merchants if merchant.sells_at(parts.hostname)), None)


SHOP_LINK_TAG = re.compile(rf'<a\s[^>]*\bclass="{SHOP_LINK_CLASS}"')


def has_shop_links(html):
    """True when stored HTML holds a shop link; text that only reads like one has its "<" escaped."""
    return bool(SHOP_LINK_TAG.search(html or ""))


def route_shop_links(html):
    """Sanitised HTML with its links to known merchants sent through /go/ (see the module's docstring)."""
    if not html or "<a " not in html:
        return html
    merchants = [merchant for merchant in Merchant.objects.exclude(domains="") if merchant.domain_list]
    if not merchants:
        return html

    def route(tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        merchant = merchant_for(href, merchants) if href else None
        if merchant is None:
            return None
        if len(href) <= MAX_URL_LENGTH:
            href = ShopLink.objects.get_or_create(url=href, defaults={"merchant": merchant})[0].redirect_url
        # else: too long to store, but still marked sponsored and covered by the disclosure
        kept = [(name, value) for name, value in attrs if name not in {"href", "rel", "class"}]
        return start_tag("a", [("href", href), *kept, ("rel", "sponsored noopener"), ("class", SHOP_LINK_CLASS)])

    return rewrite_html(html, start_tag=route)
