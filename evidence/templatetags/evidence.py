from django import template

register = template.Library()


@register.inclusion_tag("evidence/_retraction_notice.html")
def retraction_notice(study):
    return {"study": study}


@register.inclusion_tag("evidence/_claim_grade.html")
def claim_grade(claim):
    return {"claim": claim}
