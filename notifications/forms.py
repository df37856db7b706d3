from django import forms

from .kinds import KINDS
from .models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    """Delivery, and a box per kind: ticked kinds are listed and emailed, unticked ones not at all."""

    kinds = forms.MultipleChoiceField(
        label="Tell me about",
        choices=[(kind.key, f"{kind.label}: {kind.who}") for kind in KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = NotificationSettings
        fields = ["delivery"]
        widgets = {"delivery": forms.RadioSelect}
        labels = {"delivery": "Email me"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        muted = set(self.instance.muted_kinds or [])
        self.fields["kinds"].initial = [kind.key for kind in KINDS if kind.key not in muted]

    def save(self, commit=True):
        wanted = set(self.cleaned_data["kinds"])
        self.instance.muted_kinds = [kind.key for kind in KINDS if kind.key not in wanted]
        return super().save(commit)
