"""The admin's spreadsheet import of products and offers: upload → preview → confirm.

The upload is checked (size, kind) and imported as a dry run; the preview
shows its problems above the form, or how many offers are new, updated and
unchanged with the first rows of each kind. Confirm runs the same import
again for real, all or nothing, from the file kept in the `imports` storage
under a random name that only this session's token leads to, so the
confirming request may reach another app server. The kept file is removed on
confirm, whatever happens; a refused preview never keeps one.

Why our own views and not django-import-export's: our importer already reads,
checks, plans and writes the whole file (`importing.import_offers`), which the
library's row-by-row import could not do (one query per row, no price
history, valid rows saved beside bad ones). Reusing only its screens took a
fake `Result` and nine overridden admin hooks that depended on its
internals, for a flow the reference import does in a few dozen lines. The
library stays for what it does well, the admin's Export (`exports.py`).
"""

import secrets
from itertools import islice

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from tablib import Dataset

from jobs import registry
from jobs.models import JobRun
from jobs.running import start

from . import columns, import_jobs
from .exports import CSV, XLSX
from .importing import import_offers
from .permissions import may_import
from .spreadsheets import ImportFileError, check_file_size, format_for_filename, read_dataset

SESSION_KEY = "products_offer_import"
PREVIEW_ROWS = 50  # of each kind; a 10,000-row file still previews in a page
EXPIRED = "That preview has expired or was already imported. Upload the file again."


def has_import_permission(request):
    return may_import(request.user)


class ProductImportForm(forms.Form):
    import_file = forms.FileField(label="Spreadsheet", allow_empty_file=True)  # the reader says what is wrong

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        # The same size and file-kind rules as `manage.py import_products`.
        try:
            check_file_size(import_file.name, import_file.size)
            format_for_filename(import_file.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return import_file


def _context(model_admin, request):
    if not has_import_permission(request):
        raise PermissionDenied
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import products and offers",
        "form": ProductImportForm(),
        "columns": columns.COLUMNS,
        "max_upload_mb": settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB,
    }


def import_view(model_admin, request):
    """The upload form, and the preview of an uploaded file."""
    context = _context(model_admin, request)
    if request.method == "POST":
        form = context["form"] = ProductImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["import_file"]
            if import_jobs.runs_as_job(upload.size):
                return _start_import_job(request, upload.name, upload.read(), dry_run=True)
            data = upload.read()
            try:
                dataset = read_dataset(data, format_for_filename(upload.name), is_header=columns.names_a_column)
                report = import_offers(dataset, dry_run=True, file_name=upload.name)
            except ImportFileError as error:
                form.add_error("import_file", str(error))
            else:
                context.update(report=report, file_name=upload.name)
                if report.ok:
                    context.update(token=_keep_for_confirm(request, upload.name, data), preview=preview_of(report))
    return TemplateResponse(request, "products/admin/import.html", context)


def confirm_view(model_admin, request):
    """The import of the previewed file, for real."""
    context = _context(model_admin, request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, EXPIRED)
        return redirect("admin:products_product_import")
    del request.session[SESSION_KEY]
    storage = storages["imports"]
    try:
        with storage.open(pending["stored_as"]) as kept:
            data = kept.read()
        dataset = read_dataset(data, format_for_filename(pending["stored_as"]), is_header=columns.names_a_column)
        with transaction.atomic():
            report = import_offers(dataset, user=request.user, file_name=pending["file_name"])
            if report.ok:
                log_import(request.user, report, pending["file_name"])
    except FileNotFoundError:
        messages.error(request, EXPIRED)
        return redirect("admin:products_product_import")
    except ImportFileError as error:  # the upload limit was lowered since the preview, say
        messages.error(request, str(error))
        return redirect("admin:products_product_import")
    finally:
        storage.delete(pending["stored_as"])
    if not report.ok:
        # The catalogue changed between preview and confirm; the file was refused as a whole.
        context.update(report=report, file_name=pending["file_name"])
        return TemplateResponse(request, "products/admin/import.html", context)
    messages.success(request, f"Import finished: {report.summary}")
    return redirect("admin:products_product_changelist")


def _start_import_job(request, file_name, data, *, dry_run, stored_as=None):
    """A large file: the job previews (or imports) it; its page shows the progress, then the result."""
    if stored_as is None:
        stored_as = storages["imports"].save(
            f"{secrets.token_hex(16)}.{format_for_filename(file_name)}", ContentFile(data)
        )
    arguments = {"stored_as": stored_as, "file_name": file_name, "user_id": request.user.pk, "dry_run": dry_run}
    run = start(registry.get("import_products"), trigger=JobRun.Trigger.ADMIN, user=request.user, arguments=arguments)
    return redirect("admin:products_product_import_run", run_id=run.pk)


def _own_run(request, run_id):
    return get_object_or_404(JobRun, pk=run_id, job="import_products", requested_by=request.user)


def import_run_view(model_admin, request, run_id):
    """A large import's progress while it runs, then its preview (to confirm) or its result."""
    context = _context(model_admin, request)
    run = _own_run(request, run_id)
    context.update(run=run, details=run.details)
    return TemplateResponse(request, "products/admin/import_run.html", context)


def confirm_run_view(model_admin, request, run_id):
    """Import, for real, the file a job has previewed."""
    _context(model_admin, request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    preview = _own_run(request, run_id)
    details = preview.details
    if not (preview.outcome == JobRun.Outcome.SUCCEEDED and details.get("ok") and details.get("stored_as")):
        messages.error(request, EXPIRED)
        return redirect("admin:products_product_import")
    JobRun.objects.filter(pk=preview.pk).update(details={**details, "stored_as": ""})  # confirmed once only
    return _start_import_job(request, details["file_name"], None, dry_run=False, stored_as=details["stored_as"])


def _keep_for_confirm(request, file_name, data):
    """Keep the upload until it is confirmed; the token that leads to it."""
    storage = storages["imports"]
    earlier = request.session.get(SESSION_KEY)
    if earlier:  # a preview left unconfirmed in favour of this one
        storage.delete(earlier["stored_as"])
    extension = format_for_filename(file_name)
    stored_as = storage.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(data))
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {"token": token, "stored_as": stored_as, "file_name": file_name}
    return token


def preview_of(report):
    """New and updated offers: how many, and the first PREVIEW_ROWS of each."""
    counts = report.counts
    kinds = []
    for action, title in [("new", "New offers"), ("updated", "Updated offers")]:
        first = list(islice((o for o in report.outcomes if o.action == action), PREVIEW_ROWS))
        kinds.append({"title": title, "count": counts[action], "outcomes": first, "more": counts[action] - len(first)})
    kept = report.kept
    return {
        "kinds": kinds,
        "unchanged": counts["unchanged"],
        "kept": kept[:PREVIEW_ROWS],
        "more_kept": len(kept) - PREVIEW_ROWS,
    }


def log_import(user, report, file_name):
    """The admin's history of each new or changed offer says it came from this file."""
    new = [outcome.object for outcome in report.outcomes if outcome.action == "new"]
    if new:
        LogEntry.objects.log_actions(user.pk, new, ADDITION, f"Added by importing {file_name}.")
    changed = {}
    for outcome in report.outcomes:
        if outcome.action == "updated":
            changed.setdefault(tuple(outcome.changes), []).append(outcome.object)
    for changes, offers in changed.items():
        LogEntry.objects.log_actions(user.pk, offers, CHANGE, f"Changed {', '.join(changes)} by importing {file_name}.")


def template_view(model_admin, request, extension):
    """The columns and one example row, to fill in and import."""
    if not has_import_permission(request):
        raise PermissionDenied
    file_format = {"csv": CSV, "xlsx": XLSX}.get(extension)
    if file_format is None:
        raise Http404
    example = columns.example_row()
    dataset = Dataset(list(example.values()), headers=list(example))
    response = HttpResponse(file_format().export_data(dataset), content_type=file_format().get_content_type())
    response["Content-Disposition"] = f'attachment; filename="glutasite-offers-template.{extension}"'
    return response
