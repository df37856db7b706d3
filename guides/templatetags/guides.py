from django import template

register = template.Library()


@register.inclusion_tag("guides/_evidence_badge.html")
def evidence_badge(guide):
    return {"guide": guide}


@register.inclusion_tag("guides/_reviewer_byline.html")
def reviewer_byline(reviewer):
    return {"reviewer": reviewer}


@register.inclusion_tag("guides/_reference_list.html")
def reference_list(citations):
    return {"citations": citations}


@register.inclusion_tag("guides/_guide_dates.html")
def guide_dates(guide):
    return {"guide": guide}
