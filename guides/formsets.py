"""How the admin saves a guide's parts where Django's inline formset alone would get it wrong."""

from django.db.models import prefetch_related_objects
from django.forms.models import BaseInlineFormSet

from .models import Citation, RankedProduct


class KeyBenefitFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        claims = [
            form.cleaned_data["claim"]
            for form in self.forms
            if form.cleaned_data.get("claim") and not form.cleaned_data.get("DELETE")
        ]
        prefetch_related_objects(claims, "claim_studies__study")
        # The guide form has already been validated, so the instance holds the grade being saved.
        self.instance.check_grade_against(claims)


class RankedProductFormSet(BaseInlineFormSet):
    def save_existing_objects(self, commit=True):
        # Two products may swap ranks (or two ranks their products) in one save, but the database
        # checks each row's uniqueness as it is written. So the rows that change rank or product, or
        # go, leave first; the formset then writes the changed ones back under their own ids.
        leaving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and (form in self.deleted_forms or {"rank", "product"} & set(form.changed_data))
        ]
        RankedProduct.objects.filter(pk__in=leaving).delete()
        return super().save_existing_objects(commit)


class CitationFormSet(BaseInlineFormSet):
    """The guide's text, saved before this formset, may already have added a study it cites."""

    def save_new(self, form, commit=True):
        citation, _ = Citation.objects.update_or_create(
            guide=self.instance,
            study=form.cleaned_data["study"],
            defaults={"order": form.cleaned_data.get("order") or 0},
        )
        return citation

    def save_existing(self, form, obj, commit=True):
        Citation.objects.filter(guide=self.instance, study=obj.study).exclude(pk=obj.pk).delete()
        return super().save_existing(form, obj, commit=commit)
