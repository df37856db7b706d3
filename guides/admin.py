from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import workflow
from .models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    CorrectionRequest,
    Guide,
    GuideRevision,
    KeyBenefit,
    NewsletterSubscriber,
    Page,
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


class GuidePartInline:
    """A live guide's parts change only through a pending change."""

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_delete_permission(request, obj)


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


class KeyBenefitInline(GuidePartInline, admin.StackedInline):
    model = KeyBenefit
    formset = KeyBenefitFormSet
    extra = 0
    autocomplete_fields = ["claim"]
    fields = ["order", "title", "claim", "text"]


class RankedProductInline(GuidePartInline, admin.StackedInline):
    model = RankedProduct
    extra = 0
    autocomplete_fields = ["product"]
    fields = ["rank", "product", "award", ("quality_score", "value_score", "clinical_score"), "verdict"]


class SectionInline(GuidePartInline, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "heading", "body"]


class ComplaintInline(GuidePartInline, admin.StackedInline):
    model = Complaint
    extra = 0
    fields = ["order", "complaint", "answer"]


class SafetyWarningInline(GuidePartInline, admin.StackedInline):
    model = SafetyWarning
    extra = 0
    fields = ["order", "severity", "text"]


class FAQInline(GuidePartInline, admin.StackedInline):
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


class CitationInline(GuidePartInline, admin.TabularInline):
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


class GuideAdminForm(forms.ModelForm):
    """Refuses a save when someone else saved the guide after this form was opened."""

    opened_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Guide
        fields = [name for name in workflow.CONTENT_FIELDS if not name.endswith("_html")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            latest = workflow.current_revision(self.instance)
            self.fields["opened_revision"].initial = latest.number if latest else 0

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Wait for a save already under way, then compare with what it wrote.
            Guide.objects.select_for_update().filter(pk=self.instance.root.pk).first()
            latest = workflow.current_revision(self.instance)
            opened = cleaned.get("opened_revision") or 0
            if latest and latest.number != opened:
                who = (
                    latest.created_by.get_full_name() or latest.created_by.get_username()
                    if latest.created_by
                    else "someone"
                )
                when = timezone.localtime(latest.created_at).strftime("%-d %B %Y, %H:%M %Z")
                raise ValidationError(
                    f"This guide was changed by {who} at {when} since you opened it, so your save was refused "
                    "and nothing was overwritten. Your text is still below: copy what you need, open the guide "
                    "again and add it there.",
                )
        return cleaned


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    form = GuideAdminForm
    change_form_template = "admin/guides/guide/change_form.html"
    list_display = ["title", "category", "evidence_grade", "reviewer", "status", "updated_at", "pending"]
    list_filter = ["status", RetractedCitationFilter, "evidence_grade", "category", "reviewer"]
    list_select_related = ["category__parent__parent", "reviewer", "pending_change"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "reviewer"]
    date_hierarchy = "published_at"
    save_on_top = True
    view_on_site = True
    readonly_fields = ["status", "published_at", "updated_at", "last_reviewed_on"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "evidence_grade", "grade_override_reason", "reviewer"]}),
        ("Text", {"fields": ["intro", "expert_take"]}),
        (
            "Publishing",
            {"fields": ["featured", "status", "published_at", "updated_at", "last_reviewed_on", "opened_revision"]},
        ),
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

    @admin.display(description="pending change")
    def pending(self, guide):
        if guide.draft_of_id:
            return "This is a pending change"
        pending = getattr(guide, "pending_change", None)
        return f"Yes ({pending.get_status_display().lower()})" if pending else ""

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj and obj.is_locked:
            # A read-only page has no form field to carry the opened version.
            return [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "opened_revision"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.add_cited_studies()
        workflow.record_revision(form.instance, request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.workflow_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def workflow_context(self, request, guide):
        revision = workflow.current_revision(guide)
        user = request.user
        reviewer = getattr(user, "reviewer_profile", None)
        return {
            "guide": guide,
            "revision": revision,
            "checks": workflow.publish_checks(guide),
            "suggested_note": workflow.suggested_change_note(guide),
            "time_zone": timezone.get_current_timezone_name(),
            "can_edit": user.has_perm("guides.change_guide"),
            "can_sign_off": user.has_perm("guides.sign_off_guide") and reviewer is not None,
            "can_publish": user.has_perm("guides.publish_guide"),
            "pending_change": getattr(guide, "pending_change", None) if not guide.draft_of_id else None,
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "review-queue/",
                self.admin_site.admin_view(self.review_queue_view),
                name="{}_{}_review_queue".format(*info),
            ),
            path(
                "<int:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<int:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="{}_{}_revisions".format(*info),
            ),
            path(
                "<int:object_id>/revisions/<int:number>/",
                self.admin_site.admin_view(self.revision_view),
                name="{}_{}_revision".format(*info),
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, object_id, action):
        return _workflow_view(self, request, object_id, action)

    def revisions_view(self, request, object_id):
        guide = get_object_or_404(Guide, pk=object_id)
        if not self.has_view_permission(request, guide):
            raise PermissionDenied
        revisions = guide.root.revisions.select_related("created_by", "signed_off_by", "published_by")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"History of “{guide.root}”",
            "guide": guide,
            "revisions": revisions,
        }
        return TemplateResponse(request, "admin/guides/guide/revisions.html", context)

    def revision_view(self, request, object_id, number):
        guide = get_object_or_404(Guide, pk=object_id)
        if not self.has_view_permission(request, guide):
            raise PermissionDenied
        revision = get_object_or_404(GuideRevision, guide=guide.root, number=number)
        previous = guide.root.revisions.filter(number__lt=number).order_by("-number").first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"“{guide.root}”, version {number}",
            "guide": guide,
            "revision": revision,
            "previous": previous,
            "changes": workflow.diff(previous.content, revision.content) if previous else [],
            "can_revert": request.user.has_perm("guides.change_guide"),
        }
        return TemplateResponse(request, "admin/guides/guide/revision.html", context)

    def review_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Review queue",
            "queue": review_queue(),
        }
        return TemplateResponse(request, "admin/guides/guide/review_queue.html", context)


WORKFLOW_ACTIONS = {
    "submit": ("Sent to review.", lambda request, guide: workflow.submit_for_review(guide=guide, user=request.user)),
    "sign-off": (
        "Signed off the current version.",
        lambda request, guide: workflow.sign_off(guide=guide, user=request.user),
    ),
    "unpublish": (
        "Unpublished: readers no longer see this guide.",
        lambda request, guide: workflow.unpublish(guide=guide, user=request.user),
    ),
}


def _workflow_view(model_admin, request, object_id, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    guide = get_object_or_404(Guide, pk=object_id)
    if not model_admin.has_view_permission(request, guide):
        raise PermissionDenied
    change_url = lambda g: reverse("admin:guides_guide_change", args=[g.pk])  # noqa: E731
    try:
        if action == "edit":
            draft = workflow.start_change(guide=guide, user=request.user)
            messages.info(
                request, "Edit the pending change below; readers keep the live version until it is published."
            )
            return redirect(change_url(draft))
        if action == "publish":
            go_live_at = (
                parse_datetime(request.POST.get("go_live_at") or "") if request.POST.get("go_live_at") else None
            )
            if go_live_at is not None and timezone.is_naive(go_live_at):
                go_live_at = timezone.make_aware(go_live_at)
            live = guide.root
            revision = workflow.publish(
                guide=guide,
                user=request.user,
                change_note=request.POST.get("change_note", ""),
                override_reason=request.POST.get("override_reason", ""),
                go_live_at=go_live_at,
            )
            when = timezone.localtime(revision.published_at).strftime("%-d %B %Y, %H:%M %Z")
            messages.success(request, f"Published version {revision.number}; it goes live {when}.")
            return redirect(change_url(live))
        if action == "revert":
            revision = get_object_or_404(GuideRevision, guide=guide.root, number=request.POST.get("number"))
            target = workflow.revert(guide=guide, revision=revision, user=request.user)
            messages.success(request, f"Version {revision.number} is back as the current draft; send it to review.")
            return redirect(change_url(target))
        if action not in WORKFLOW_ACTIONS:
            raise PermissionDenied
        message, run = WORKFLOW_ACTIONS[action]
        run(request, guide)
        messages.success(request, message)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect(change_url(guide))


def review_queue(at=None):
    """What editors should look at, grouped by why."""
    at = at or timezone.now()
    months = getattr(settings, "GLUTASITE_REVIEW_AFTER_MONTHS", 12)
    published = Guide.objects.live().filter(status=Guide.Status.PUBLISHED).select_related("reviewer")
    reviewed_before = timezone.localdate(at) - timedelta(days=round(months * 30.44))
    return {
        "In review": Guide.objects.filter(status=Guide.Status.IN_REVIEW).select_related("draft_of"),
        "Changed since sign-off": published.changed_since_sign_off(),
        f"Last reviewed more than {months} months ago": published.filter(last_reviewed_on__lt=reviewed_before),
        "Cites a retracted study": published.citing_retracted(),
        "Shows a stale or unavailable price": published.with_stale_prices(at),
        "Has open error reports from readers": Guide.objects.filter(
            pk__in=CorrectionRequest.objects.open().values("guide"),
        ),
    }


# Reader site


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "for_subscribers", "updated_at"]
    list_filter = ["for_subscribers"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = True


@admin.register(NewsletterSubscriber)
class NewsletterSubscriberAdmin(admin.ModelAdmin):
    """Addresses reach the list only through the reader's own confirmation link, never typed in here."""

    list_display = ["email", "status", "signed_up_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    date_hierarchy = "signed_up_at"
    readonly_fields = ["email", "status", "signed_up_at", "confirmed_at", "unsubscribed_at"]

    def has_add_permission(self, request):
        return False


@admin.action(description="Mark selected reports as resolved", permissions=["change"])
def mark_resolved(modeladmin, request, queryset):
    reports = list(queryset.open())
    for report in reports:
        report.status = CorrectionRequest.Status.RESOLVED
        report.save()
    modeladmin.message_user(request, f"{len(reports)} report{'s' if len(reports) != 1 else ''} marked resolved.")


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["guide", "location", "reported_at", "status", "resolved_at"]
    list_filter = ["status", "guide"]
    list_select_related = ["guide"]
    search_fields = ["description", "location", "guide__title"]
    date_hierarchy = "reported_at"
    actions = [mark_resolved]
    reader_fields = ["guide", "location", "description", "source", "email", "reported_at"]
    fields = [*reader_fields, "status", "resolved_at", "editor_note"]
    readonly_fields = [*reader_fields, "resolved_at"]

    def has_add_permission(self, request):
        return False
