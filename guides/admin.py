from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils import timezone

from concurrent_edits.admin import ConcurrentEditAdminMixin

from . import admin_workflow, revisions
from .actions import editor_time, guide_actions, status_sentence
from .changes import suggested_change_note
from .checks import publish_checks
from .citations import marker_for
from .models import Category, Guide, Reviewer, SiteSettings, cited_studies
from .parts import PARTS, add_cited_studies


def markdown_widget(db_field):
    """A Markdown field's textarea, marked for the side-by-side preview (static/js/markdown-preview.js)."""
    return forms.Textarea(attrs={"class": "vLargeTextField", "rows": 6, "data-markdown": db_field.name})


class MarkdownPreviewMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in getattr(self.model, "markdown_fields", {}):
            kwargs["widget"] = markdown_widget(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(SiteSettings)
class SiteSettingsAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "slug"]
    list_select_related = ["parent__parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Reviewer)
class ReviewerAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "credentials", "title", "licensing_body", "licence_number"]
    search_fields = ["name", "credentials", "licence_number"]
    prepopulated_fields = {"slug": ["name"]}


class GuidePartInline(MarkdownPreviewMixin):
    """A published guide's parts change only through a pending change."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_delete_permission(request, obj)


def part_inline(part):
    """The admin inline for one entry of the parts registry."""
    attributes = {
        "model": part.model,
        "fields": list(part.admin_fields),
        "autocomplete_fields": list(part.autocomplete),
    }
    if part.formset:
        attributes["formset"] = part.formset
    if part.admin_label:
        attributes["verbose_name_plural"] = part.admin_label
    base = admin.TabularInline if part.tabular else admin.StackedInline
    return type(f"{part.model.__name__}Inline", (GuidePartInline, base), attributes)


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
    """Saves a draft with only a title, and refuses a save when someone else saved the guide after it was opened.

    What a reader's page needs (category, grade, reviewer) is the publish
    gate's to ask for, not this form's.
    """

    opened_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Guide
        fields = [name for name in Guide.content_fields if not name.endswith("_html")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # a read-only (published) guide's form has no fields
            self.fields["kind"].required = False  # a draft with only a title is a comparison until the editor says
        if self.instance.pk:
            latest = revisions.current_revision(self.instance)
            self.fields["opened_revision"].initial = latest.number if latest else 0

    def clean_kind(self):
        return self.cleaned_data["kind"] or Guide.Kind.COMPARISON

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = Guide(pk=self.instance.pk, title=cleaned["title"]).free_slug()
        if self.instance.pk:
            # Wait for a save already under way, then compare with what it wrote.
            Guide.objects.select_for_update().filter(pk=self.instance.live_guide.pk).first()
            latest = revisions.current_revision(self.instance)
            opened = cleaned.get("opened_revision") or 0
            if latest and latest.number != opened:
                who = (
                    latest.created_by.get_full_name() or latest.created_by.get_username()
                    if latest.created_by
                    else "someone"
                )
                when = editor_time(latest.created_at)
                raise ValidationError(
                    f"This guide was changed by {who} at {when} since you opened it, so your save was refused "
                    "and nothing was overwritten. Your text is still below: copy what you need, open the guide "
                    "again and add it there.",
                )
        return cleaned


@admin.register(Guide)
class GuideAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    form = GuideAdminForm
    change_form_template = "admin/guides/guide/change_form.html"
    change_list_template = "admin/guides/guide/change_list.html"
    list_display = [
        "title",
        "category",
        "evidence_grade",
        "reviewer",
        "status_label",
        "assignee",
        "updated_at",
        "pending",
    ]
    list_filter = ["status", RetractedCitationFilter, "evidence_grade", "category", "reviewer"]
    list_select_related = ["category__parent__parent", "reviewer", "pending_change", "assignment__assignee"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "reviewer"]
    date_hierarchy = "published_at"
    save_on_top = True
    view_on_site = True
    readonly_fields = ["status_label", "published_at", "updated_at", "last_reviewed_on"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "category", "evidence_grade", "grade_override_reason", "reviewer"]},
        ),
        (
            "Publishing",
            {
                "fields": [
                    "featured",
                    "status_label",
                    "published_at",
                    "updated_at",
                    "last_reviewed_on",
                    "opened_revision",
                ],
                "classes": ["collapse"],
            },
        ),
        # Last, so "Cite a study" (after the fieldsets) sits under the text it helps write.
        ("Text", {"fields": ["intro", "typical_dose", "expert_take"]}),
    ]
    inlines = [part_inline(part) for part in PARTS]

    class Media:
        js = ["js/markdown-preview.js"]

    @admin.display(description="status", ordering="status")
    def status_label(self, guide):
        if guide.is_scheduled():
            return f"Scheduled for {editor_time(guide.scheduled_for or guide.published_at)}"
        return guide.get_status_display()

    @admin.display(description="assigned to", ordering="assignment__due_on")
    def assignee(self, guide):
        assignment = getattr(guide, "assignment", None)
        if assignment is None:
            return ""
        due = f", due {assignment.due_on:%-d %b}" if assignment.due_on else ""
        overdue = " (overdue)" if assignment.is_overdue() else ""
        return f"{assignment.assignee.get_full_name() or assignment.assignee}{due}{overdue}"

    @admin.display(description="pending change")
    def pending(self, guide):
        if guide.is_pending_change:
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.started_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        add_cited_studies(form.instance)
        revisions.record_revision(form.instance, request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_url"] = reverse("admin:guides_guide_preview")
        context["cited_studies"] = [
            (study, marker_for(study)) for study in (cited_studies(obj.pk).distinct() if obj else [])
        ]
        if obj is not None:
            context.update(self.workflow_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def workflow_context(self, request, guide):
        revision = revisions.current_revision(guide)
        checks = publish_checks(guide)
        pending_change = None if guide.is_pending_change else getattr(guide, "pending_change", None)
        asked = guide.live_guide.revisions.exclude(changes_requested_at=None).order_by("-changes_requested_at").first()
        return {
            "guide": guide,
            "revision": revision,
            "status": status_sentence(guide, revision),
            "review_request": asked
            if asked and asked.changes_requested and guide.status == Guide.Status.DRAFT
            else None,
            "checks": checks,
            "blocking_count": sum(1 for check in checks if check.blocking),
            "actions": guide_actions(
                guide,
                request.user,
                revision=revision,
                checks=checks,
                has_pending_change=pending_change is not None,
            ),
            "suggested_note": suggested_change_note(guide),
            "time_zone": timezone.get_current_timezone_name(),
            "pending_change": pending_change,
            "assignment": getattr(guide, "assignment", None),
            "can_assign": request.user.has_perm("guides.change_guide"),
            "assignable_people": admin_workflow.assignable_people()
            if request.user.has_perm("guides.change_guide")
            else [],
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        views = [
            ("review-queue/", admin_workflow.review_queue_view, "review_queue"),
            ("preview/", admin_workflow.preview_view, "preview"),
            ("<int:object_id>/workflow/<str:action>/", admin_workflow.workflow_view, "workflow"),
            ("<int:object_id>/revisions/", admin_workflow.revisions_view, "revisions"),
            ("<int:object_id>/revisions/<int:number>/", admin_workflow.revision_view, "revision"),
        ]
        return [
            path(route, self.admin_site.admin_view(self._bound(view)), name="{}_{}_{}".format(*info, name))
            for route, view, name in views
        ] + super().get_urls()

    def _bound(self, view):
        def run(request, *args, **kwargs):
            return view(self, request, *args, **kwargs)

        return run
