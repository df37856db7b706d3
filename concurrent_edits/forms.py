"""The hidden field that carries the opened version through a form, and the check on save."""

from django import forms
from django.core.exceptions import ValidationError

from . import versions

FIELD = "opened_version"


class OpenedVersionField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        # Never a change the editor made: an inline row is saved only when its own fields change.
        return False


class ConcurrentEditFormMixin:
    """Refuses to save a row that was changed after this form was opened, keeping what was typed."""

    concurrent_edit_parent = None  # (model, pk) of the page an inline row is edited on

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields[FIELD].initial = versions.opened_token(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get(FIELD)
        if self.instance.pk is not None and token:
            model = type(self.instance)
            opened = versions.changed_since(model, self.instance.pk, token)
            if opened is not None:
                raise ValidationError(
                    versions.conflict_message(model, self.instance.pk, opened, parent=self.concurrent_edit_parent),
                    code="changed_since_opened",
                )
        return cleaned


def protect(form_class, *, parent=None):
    """`form_class` with the opened-version field and check."""
    attributes = {FIELD: OpenedVersionField(), "concurrent_edit_parent": parent}
    return type(form_class.__name__, (ConcurrentEditFormMixin, form_class), attributes)
