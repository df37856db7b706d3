"""Spreadsheet imports too large for a request run on the job runner, preview and confirm alike.

A file over PRODUCTS_IMPORT_IN_REQUEST_MAX_KB (about 2,500 rows) is kept in
the `imports` storage and previewed by the `import_products` job (a dry run
of `importing.import_offers`); the admin shows the run's progress line until
it is done, then the preview: counts, the first rows of each kind, or the
problems. Confirm queues the same job for real on the same kept file, all or
nothing, and shows its result. The run's record (JobRun) carries the preview
as JSON, and only the person who uploaded the file may see or confirm it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.db import transaction

from jobs import Result
from jobs.running import JobError

from . import columns
from .importing import import_offers
from .spreadsheets import ImportFileError, format_for_filename, read_dataset

EXPIRED = "That preview has expired or was already imported. Upload the file again."
PROBLEMS_SHOWN = 500


def runs_as_job(size):
    return size > settings.PRODUCTS_IMPORT_IN_REQUEST_MAX_KB * 1024


def import_kept_file(*, progress, stored_as, file_name, user_id=None, dry_run=True):
    """The job: import (or preview) a kept upload; the preview goes in the run's details."""
    from .admin_import import PREVIEW_ROWS, log_import, preview_of

    storage = storages["imports"]
    try:
        with storage.open(stored_as) as kept:
            data = kept.read()
    except FileNotFoundError:
        raise JobError(EXPIRED) from None
    user = get_user_model().objects.filter(pk=user_id).first()
    try:
        dataset = read_dataset(data, format_for_filename(stored_as), is_header=columns.names_a_column)
        with transaction.atomic():
            report = import_offers(dataset, dry_run=dry_run, user=user, progress=progress, file_name=file_name)
            if report.ok and not dry_run and user:
                log_import(user, report, file_name)
    except ImportFileError as error:
        storage.delete(stored_as)
        raise JobError(str(error)) from None
    if not report.ok or not dry_run:
        storage.delete(stored_as)
    counts = report.counts
    details = {
        "ok": report.ok,
        "dry_run": dry_run,
        "file_name": file_name,
        "stored_as": stored_as if report.ok and dry_run else "",
        "problems": [str(problem) for problem in report.problems[:PROBLEMS_SHOWN]],
        "more_problems": max(0, len(report.problems) - PROBLEMS_SHOWN),
        "notes": list(report.notes),
        "preview": _plain(preview_of(report)) if report.ok else None,
        "rows_shown": PREVIEW_ROWS,
    }
    changed = 0 if dry_run or not report.ok else counts["new"] + counts["updated"]
    return Result(changed=changed, summary=report.summary, details=details)


def _plain(preview):
    """The preview as JSON: the rows' numbers and what a reader of the table needs of each offer."""
    return {
        "unchanged": preview["unchanged"],
        "kinds": [
            {
                "title": kind["title"],
                "count": kind["count"],
                "more": kind["more"],
                "rows": [
                    {
                        "number": outcome.number,
                        "sku": outcome.object.product.sku,
                        "product": f"{outcome.object.product.brand.name} {outcome.object.product.name}",
                        "merchant": outcome.object.merchant.name,
                        "price": f"{outcome.object.currency} {outcome.object.price}",
                        "changes": ", ".join(outcome.changes) or "new offer",
                    }
                    for outcome in kind["outcomes"]
                ],
            }
            for kind in preview["kinds"]
        ],
    }
