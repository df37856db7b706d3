from django import template
from django.template.defaultfilters import truncatewords

from guides import structured_data
from guides.citations import MARKER
from guides.structured_data import as_script_json

register = template.Library()


@register.inclusion_tag("guides/_evidence_badge.html")
def evidence_badge(guide):
    return {"guide": guide}


@register.inclusion_tag("guides/_reviewer_byline.html")
def reviewer_byline(reviewer):
    return {"reviewer": reviewer}


@register.inclusion_tag("guides/_reference_list.html")
def reference_list(references):
    """The numbered references from guides.citations.ReferenceList, with links back to the text."""
    return {"references": references}


@register.filter
def without_citation_markers(text):
    """Editor text for places that show it raw (a meta description), minus [@…] markers."""
    return " ".join(MARKER.sub("", text or "").split())


@register.inclusion_tag("guides/_guide_dates.html")
def guide_dates(guide):
    return {"guide": guide}


@register.inclusion_tag("guides/_guide_card.html")
def guide_card(guide, heading_level=2):
    """A guide in a list: category, title, grade, products compared, reviewer and date."""
    return {"guide": guide, "heading_level": heading_level}


@register.inclusion_tag("guides/_json_ld.html")
def json_ld(items):
    """JSON-LD from guides.structured_data, safe inside <script> whatever editors typed."""
    return {"json": as_script_json(items) if items else ""}


@register.inclusion_tag("guides/_json_ld.html", takes_context=True)
def guide_structured_data(context, guide, ranked_products):
    """The guide page's JSON-LD; `ranked_products` as the guide page's view prefetches them.

    A draft staff preview before it has a category and a reviewer has none: readers never see such a guide.
    """
    if guide.category_id is None or guide.reviewer_id is None:
        return json_ld(None)
    items = structured_data.guide_structured_data(
        guide,
        ranked_products,
        # Kept with the guide's text by guides/prerendered.py: the FAQ and the page, not the prices.
        page_items=context.get("structured_page_items"),
        **page_address(context["request"], guide),
    )
    return json_ld(items)


def page_address(request, guide):
    """Where the guide page is read, as guides.structured_data takes it."""
    return {
        "base_url": f"{request.scheme}://{request.get_host()}",
        "path": request.path,
        "description": truncatewords(without_citation_markers(guide.intro), 30),
    }
