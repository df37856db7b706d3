from urllib.parse import urlencode

from django import template

from products.charts import price_history_charts
from products.models import best_offer as pick_best_offer

register = template.Library()


def _disclosure_due(context):
    """True the first time a page asks; the disclosure then stands before any link."""
    request = context.get("request")
    if request is None:
        return True
    if getattr(request, "affiliate_disclosure_shown", False):
        return False
    request.affiliate_disclosure_shown = True
    return True


@register.inclusion_tag("products/_affiliate_disclosure.html", takes_context=True)
def affiliate_disclosure(context):
    return {"show": _disclosure_due(context)}


@register.inclusion_tag("products/_affiliate_link.html", takes_context=True)
def affiliate_link(context, offer, label="", css_class="button"):
    """Every affiliate link on the site: through /go/ (which counts the click), after the disclosure."""
    request = context.get("request")
    href = offer.redirect_url
    if request is not None:
        href += "?" + urlencode({"from": request.path})
    return {
        "href": href,
        "label": label or f"Check price at {offer.merchant.name}",
        "css_class": css_class,
        "show_disclosure": _disclosure_due(context),
    }


@register.inclusion_tag("products/_price.html")
def price_box(offer):
    return {"offer": offer}


@register.inclusion_tag("products/_price_history_chart.html")
def price_history_chart(offers):
    return {"charts": price_history_charts(offers)}


@register.filter
def best_offer(offers):
    return pick_best_offer(offers)
