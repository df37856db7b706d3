from django.contrib import admin

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


class KeyBenefitInline(admin.StackedInline):
    model = KeyBenefit
    extra = 0
    fields = ["order", "title", "text"]


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


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["study"]
    fields = ["order", "study"]


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "evidence_grade", "reviewer", "status", "updated_at"]
    list_filter = ["status", "evidence_grade", "category", "reviewer"]
    list_select_related = ["category__parent__parent", "reviewer"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "reviewer"]
    date_hierarchy = "published_at"
    save_on_top = True
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "evidence_grade", "reviewer"]}),
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
