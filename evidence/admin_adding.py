"""Admin → Studies → Add by identifier: paste a reference list, see what the look-up found, confirm.

The look-up runs as the `add_studies` job (NCBI allows 3 requests a second,
so a long list takes a while): the page follows the run, then shows the
preview; confirming imports the records the preview kept, in the request.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from jobs import registry
from jobs.models import JobRun
from jobs.running import start

from .adding import confirm

MAX_LINES = 500


class IdentifierListForm(forms.Form):
    identifiers = forms.CharField(
        label="References",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text="One a line: PMIDs, PMCIDs, DOIs, or PubMed, PMC, doi.org and publisher addresses. "
        "A pasted reference list is fine; lines without an identifier are listed.",
    )

    def clean_identifiers(self):
        text = self.cleaned_data["identifiers"]
        if len(text.splitlines()) > MAX_LINES:
            raise forms.ValidationError(f"Paste at most {MAX_LINES} lines at a time.")
        return text


def _context(model_admin, request, **extra):
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, "title": "Add studies", **extra}


def _own_run(request, run_id):
    return get_object_or_404(JobRun, pk=run_id, job="add_studies", requested_by=request.user)


def add_view(model_admin, request):
    context = _context(model_admin, request, form=IdentifierListForm())
    if request.method == "POST":
        form = context["form"] = IdentifierListForm(request.POST)
        if form.is_valid():
            arguments = {"identifiers": form.cleaned_data["identifiers"], "dry_run": True}
            run = start(
                registry.get("add_studies"), trigger=JobRun.Trigger.ADMIN, user=request.user, arguments=arguments
            )
            return redirect("admin:evidence_study_add_by_identifier_run", run_id=run.pk)
    return TemplateResponse(request, "evidence/admin/add_studies.html", context)


def run_view(model_admin, request, run_id):
    run = _own_run(request, run_id)
    context = _context(model_admin, request, run=run, details=run.details)
    return TemplateResponse(request, "evidence/admin/add_studies_run.html", context)


def confirm_view(model_admin, request, run_id):
    _context(model_admin, request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = _own_run(request, run_id)
    records = run.details.get("records")
    if run.outcome != JobRun.Outcome.SUCCEEDED or not records:
        messages.error(request, "That preview has expired or was already saved. Paste the list again.")
        return redirect("admin:evidence_study_add_by_identifier")
    JobRun.objects.filter(pk=run.pk).update(details={**run.details, "records": []})  # confirmed once only
    report = confirm(records)
    if not report.ok:
        for problem in report.problems:
            messages.error(request, str(problem))
        return redirect("admin:evidence_study_add_by_identifier")
    counts = report.counts
    messages.success(
        request, f"Saved: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged."
    )
    return redirect("admin:evidence_study_changelist")
