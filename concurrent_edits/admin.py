"""Concurrent-edit protection for every admin page, written once.

Two editors open the same row; the first saves; the second's save would
quietly put the first one's changes back, because a form sends every field,
not only the one changed. With these mixins the second save is refused,
naming who changed the row and when, and the form keeps what was typed.

    class BrandAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin): ...
    class OfferInline(ConcurrentEditInlineMixin, admin.TabularInline): ...

Each form, and each inline row, carries a hidden fingerprint of the row as it
was opened (concurrent_edits.versions); on save the row is read again under a
row lock and compared.
"""

from django.contrib.admin.utils import flatten_fieldsets

from .forms import FIELD, protect


def with_version_field(fieldsets, *, editable):
    """The fieldsets with the hidden field in the first one (or without it, where nothing can be saved)."""
    fieldsets = [(name, {**options, "fields": list(options["fields"])}) for name, options in fieldsets]
    present = FIELD in flatten_fieldsets(fieldsets)
    if editable and not present and fieldsets:
        fieldsets[0][1]["fields"].append(FIELD)
    elif not editable and present:
        fieldsets = [
            (name, {**options, "fields": [field for field in options["fields"] if field != FIELD]})
            for name, options in fieldsets
        ]
    return fieldsets


class ConcurrentEditAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = protect(kwargs.get("form", self.form))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        editable = obj is not None and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), editable=editable)


class ConcurrentEditInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        parent = (type(obj), obj.pk) if obj is not None and obj.pk is not None else None
        kwargs["form"] = protect(kwargs.get("form", self.form), parent=parent)
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        editable = obj is not None and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), editable=editable)
