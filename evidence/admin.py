import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from concurrent_edits.admin import ConcurrentEditAdminMixin, ConcurrentEditInlineMixin

from . import admin_adding
from .importing import import_references
from .models import GRADE_RULE, Claim, ClaimStudy, Study, Topic
from .reference_files import MAX_IMPORT_BYTES, ImportFileError, check_file_size, decode_upload

IMPORT_SESSION_KEY = "evidence_reference_import"


class ReferenceUploadForm(forms.Form):
    file = forms.FileField(
        label="Reference file",
        allow_empty_file=True,  # decode_upload says what is wrong with it, as the command does
        help_text=(
            "An RIS (Zotero, EndNote, Mendeley), BibTeX or PubMed MEDLINE (.nbib) export, "
            f"up to {MAX_IMPORT_BYTES // 1024 // 1024} MB. You will see what changes before anything is saved."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ClaimLinkInline(ConcurrentEditInlineMixin, admin.TabularInline):
    model = ClaimStudy
    extra = 0
    autocomplete_fields = ["claim"]
    fields = ["claim", "stance", "note"]
    verbose_name = "claim this study is evidence for"
    verbose_name_plural = "claims this study is evidence for"


@admin.register(Topic)
class TopicAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Study)
class StudyAdmin(ConcurrentEditAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "first_author", "journal", "year", "design", "result", "retracted", "pmid", "doi"]
    list_filter = ["retracted", "design", "result", "topics", "year"]
    search_fields = ["title", "authors", "journal", "pmid", "pmcid", "doi", "slug"]
    prepopulated_fields = {"slug": ["authors", "year"]}
    autocomplete_fields = ["topics"]
    change_list_template = "evidence/admin/study_change_list.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "authors", "journal", "year"]}),
        ("Identifiers", {"fields": ["pmid", "pmcid", "doi", "url"]}),
        (
            "What it studied",
            {
                "fields": [
                    "design",
                    "population",
                    "participants",
                    ("dose", "duration"),
                    "outcome",
                    "result",
                    "finding",
                    "summary",
                    "topics",
                ],
            },
        ),
        (
            "Retraction and notices",
            {"fields": ["retracted", "retracted_on", "retraction_note", "notice", "notice_on", "notice_url"]},
        ),
    ]
    inlines = [ClaimLinkInline]

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="evidence_study_import"),
            path(
                "add-by-identifier/",
                self.admin_site.admin_view(self.add_by_identifier_view),
                name="evidence_study_add_by_identifier",
            ),
            path(
                "add-by-identifier/<int:run_id>/",
                self.admin_site.admin_view(self.add_by_identifier_run_view),
                name="evidence_study_add_by_identifier_run",
            ),
            path(
                "add-by-identifier/<int:run_id>/confirm/",
                self.admin_site.admin_view(self.add_by_identifier_confirm_view),
                name="evidence_study_add_by_identifier_confirm",
            ),
            *super().get_urls(),
        ]

    def add_by_identifier_view(self, request):
        return admin_adding.add_view(self, request)

    def add_by_identifier_run_view(self, request, run_id):
        return admin_adding.run_view(self, request, run_id)

    def add_by_identifier_confirm_view(self, request, run_id):
        return admin_adding.confirm_view(self, request, run_id)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import references",
            "form": ReferenceUploadForm(),
        }
        if request.method == "POST" and "confirm" in request.POST:
            pending = request.session.get(IMPORT_SESSION_KEY)
            if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
                messages.error(request, "That preview has expired or was already imported. Upload the file again.")
                return redirect("admin:evidence_study_import")
            del request.session[IMPORT_SESSION_KEY]
            report = import_references(pending["text"], user=request.user, file_name=pending["name"])
            if not report.ok:  # the library changed between preview and confirm
                context.update(report=report, file_name=pending["name"])
                return TemplateResponse(request, "evidence/admin/study_import.html", context)
            messages.success(request, f"Imported {pending['name']}. {report.summary}")
            return redirect("admin:evidence_study_changelist")
        if request.method == "POST":
            form = ReferenceUploadForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["file"]
                context["file_name"] = upload.name
                try:
                    text = decode_upload(upload.read())
                    report = import_references(text, dry_run=True, file_name=upload.name)
                except ImportFileError as error:
                    form.add_error("file", str(error))
                else:
                    context["report"] = report
                    if report.ok:
                        token = secrets.token_urlsafe(16)
                        request.session[IMPORT_SESSION_KEY] = {"token": token, "name": upload.name, "text": text}
                        context["token"] = token
        return TemplateResponse(request, "evidence/admin/study_import.html", context)


class ClaimStudyInline(ConcurrentEditInlineMixin, admin.TabularInline):
    model = ClaimStudy
    extra = 0
    autocomplete_fields = ["study"]
    fields = ["study", "stance", "note"]


@admin.register(Claim)
class ClaimAdmin(ConcurrentEditAdminMixin, SimpleHistoryAdmin):
    list_display = ["statement", "grade_shown", "proposed_grade_shown", "study_count"]
    search_fields = ["statement", "slug"]
    prepopulated_fields = {"slug": ["statement"]}
    readonly_fields = ["proposed_grade_shown"]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "summary"]}),
        (
            "Grade",
            {
                "description": format_html(
                    "<p>The grade is proposed from the studies saved below:</p><ul>{}</ul>",
                    format_html_join("", "<li>{}</li>", ((rule,) for rule in GRADE_RULE)),
                ),
                "fields": ["proposed_grade_shown", "grade_override", "grade_override_reason"],
            },
        ),
    ]
    inlines = [ClaimStudyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("claim_studies__study")

    @admin.display(description="grade")
    def grade_shown(self, claim):
        return f"{claim.grade_label} (override)" if claim.grade_is_override else claim.grade_label

    @admin.display(description="proposed from the studies")
    def proposed_grade_shown(self, claim):
        return claim.proposed_grade_label if claim.pk else "Save the claim with its studies to see the proposed grade."

    @admin.display(description="studies")
    def study_count(self, claim):
        return len(claim.claim_studies.all())
