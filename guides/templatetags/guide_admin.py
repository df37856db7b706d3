from django import template

from guides.actions import short_status as describe

register = template.Library()


@register.filter
def short_status(guide):
    return describe(guide)
