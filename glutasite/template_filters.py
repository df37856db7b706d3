"""Filters every template gets without {% load %} (see TEMPLATES builtins)."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value):
    """A date or time for `<time datetime>`: whole seconds, as HTML requires."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
