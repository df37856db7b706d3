from django.contrib import admin
from django.db.models import prefetch_related_objects
from django.forms.models import BaseInlineFormSet

from .models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    Guide,
    KeyBenefit,
    RankedProduct,
    Reviewer,
    SafetyWarning,
    Section,
    SiteSettings,
)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug"]
    list_select_related = ["parent__parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "title", "licensing_body", "licence_number"]
    search_fields = ["name", "credentials", "licence_number"]
    prepopulated_fields = {"slug": ["name"]}


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


class KeyBenefitInline(admin.StackedInline):
    model = KeyBenefit
    formset = KeyBenefitFormSet
    extra = 0
    autocomplete_fields = ["claim"]
    fields = ["order", "title", "claim", "text"]


class RankedProductInline(admin.StackedInline):
    model = RankedProduct
    extra = 0
    autocomplete_fields = ["product"]
    fields = ["rank", "product", "award", ("quality_score", "value_score", "clinical_score"), "verdict"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "heading", "body"]


class ComplaintInline(admin.StackedInline):
    model = Complaint
    extra = 0
    fields = ["order", "complaint", "answer"]


class SafetyWarningInline(admin.StackedInline):
    model = SafetyWarning
    extra = 0
    fields = ["order", "severity", "text"]


class FAQInline(admin.StackedInline):
    model = FAQ
    extra = 0
    fields = ["order", "question", "answer"]


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


class CitationInline(admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    extra = 0
    autocomplete_fields = ["study"]
    fields = ["order", "study"]
    verbose_name = "reference"
    verbose_name_plural = "references (studies cited by a marker in the text are added on save)"


class RetractedCitationFilter(admin.SimpleListFilter):
    title = "retracted studies"
    parameter_name = "retracted"

    def lookups(self, request, model_admin):
        return [
            ("published", "Published and cites a retracted study"),
            ("any", "Cites a retracted study"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "published":
            return queryset.published().citing_retracted()
        if self.value() == "any":
            return queryset.citing_retracted()
        return queryset


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "evidence_grade", "reviewer", "status", "updated_at"]
    list_filter = ["status", RetractedCitationFilter, "evidence_grade", "category", "reviewer"]
    list_select_related = ["category__parent__parent", "reviewer"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "reviewer"]
    date_hierarchy = "published_at"
    save_on_top = True
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "evidence_grade", "grade_override_reason", "reviewer"]}),
        ("Text", {"fields": ["intro", "expert_take"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "last_reviewed_on"]}),
    ]
    inlines = [
        KeyBenefitInline,
        RankedProductInline,
        SectionInline,
        ComplaintInline,
        SafetyWarningInline,
        FAQInline,
        CitationInline,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.add_cited_studies()
