"""Adding studies by identifier: read what editors paste, look it up, preview, then confirm.

`add_studies` (the job, and `manage.py add_studies`) reads the identifiers,
looks them up (`lookup.py`) and runs them through the reference import
(`importing.import_records`): a dry run for the admin's preview, whose
records the run keeps so that confirming writes exactly what was previewed
without asking the services again. A paper PubMed lists as a “Retracted
Publication” is added as retracted.
"""

from django.db import transaction
from django.utils import timezone

from jobs import Result
from jobs.running import JobError

from .identifiers import read_identifiers
from .importing import import_records
from .lookup import LookupFailed, as_json, from_json, look_up

FORMAT_NAME = "looked-up"
RETRACTED_NOTE = "PubMed lists this paper as a retracted publication."


def add_studies(*, progress, identifiers, dry_run=False):
    text = "\n".join(identifiers) if isinstance(identifiers, list | tuple) else identifiers
    found, unreadable = read_identifiers(text)
    if not found:
        raise JobError("No identifier could be read: paste PMIDs, PMCIDs, DOIs or their addresses, one a line.")
    try:
        records, unknown = look_up(found, progress)
    except LookupFailed as error:
        raise JobError(str(error)) from None
    report = confirm(records, dry_run=dry_run)
    details = {
        "ok": report.ok,
        "dry_run": dry_run,
        "records": [as_json(record) for record in records] if report.ok and dry_run else [],
        "unreadable": unreadable,
        "unknown": unknown,
        "problems": [str(problem) for problem in report.problems],
        "outcomes": [
            {
                "number": outcome.number,
                "action": outcome.action,
                "study": str(outcome.object),
                "changes": outcome.changes,
                "retracted": any(r.number == outcome.number and r.marked_retracted for r in records),
            }
            for outcome in report.outcomes
        ],
    }
    counts = report.counts
    changed = 0 if dry_run or not report.ok else counts["new"] + counts["updated"]
    return Result(changed=changed, summary=_summary(report, unreadable, unknown), details=details)


def confirm(records, *, dry_run=False):
    """Import looked-up records (or their JSON, kept by a preview), marking retracted papers retracted."""
    records = [from_json(record) if isinstance(record, dict) else record for record in records]
    with transaction.atomic():
        report = import_records(
            records, format_name=FORMAT_NAME, dry_run=dry_run, reason="Looked up by identifier at PubMed and Crossref"
        )
        if report.ok and not dry_run:
            retracted = {record.number for record in records if record.marked_retracted}
            for outcome in report.outcomes:
                study = outcome.object
                if outcome.number in retracted and not study.retracted:
                    study.refresh_from_db()
                    study.retracted, study.retracted_on = True, timezone.localdate()
                    study.retraction_note = study.retraction_note or RETRACTED_NOTE
                    study.save()
    return report


def _summary(report, unreadable, unknown):
    text = report.summary
    if unknown:
        text += f" Not found: {', '.join(unknown)}."
    text += "".join(f" Could not read an identifier from “{line}”." for line in unreadable)
    return text
