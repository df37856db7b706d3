from django import template

from guides.citations import MARKER

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
