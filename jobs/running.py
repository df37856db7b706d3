"""Starting and running jobs, and recording each run as a JobRun.

A scheduled run first claims its slot: the JobRun's unique (job, slot) lets
one claim win however many workers wake for it, and only the winner queues
the run. A queued run is retried with growing delays when it raises, and is
recorded as failed after its last try; a `JobError` is a failure retrying
cannot mend (a refused file), so it fails at once. Commands run the same
function in their own process and record their run the same way.
"""

import time
import traceback

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import registry
from .models import JobRun
from .signals import job_finished

PROGRESS_SAVE_EVERY = 2  # seconds: how often a long run writes its progress line for the Jobs page


class JobError(Exception):
    """The job cannot do its work and retrying will not help; the message is for staff."""


def claim_slot(job, slot):
    """The run for `job`'s scheduled `slot`, or None when another worker has claimed it."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, trigger=JobRun.Trigger.SCHEDULE, slot=slot)
    except IntegrityError:
        return None


def start(job, *, trigger, user=None, arguments=None):
    """Queue a run of `job` (after the current transaction commits) and return its record."""
    from .tasks import queue_run

    run = JobRun.objects.create(job=job.name, trigger=trigger, requested_by=user, arguments=arguments or {})
    transaction.on_commit(lambda: queue_run(run.pk, job))
    return run


class Progress:
    """Called by a job as `progress(done, total, what)`; keeps the run's progress line and tells the command."""

    def __init__(self, run, echo=None):
        self.run, self.echo, self.saved_at = run, echo, 0.0

    def __call__(self, done, total=None, what="items"):
        line = f"{done:,} of {total:,} {what}" if total else f"{done:,} {what}"
        if self.echo:
            self.echo(line, finished=bool(total) and done >= total)
        now = time.monotonic()
        if now - self.saved_at >= PROGRESS_SAVE_EVERY:
            self.saved_at = now
            JobRun.objects.filter(pk=self.run.pk).update(progress=line[:200])


def execute(run, *, final=True, echo=None):
    """Run the job `run` records, keeping its outcome; re-raises the job's error for the caller to retry."""
    job = registry.get(run.job)
    run.attempt += 1
    run.outcome = JobRun.Outcome.RUNNING
    run.started_at = timezone.now()
    run.finished_at = None
    run.save(update_fields=["attempt", "outcome", "started_at", "finished_at"])
    try:
        result = job.run(progress=Progress(run, echo), **run.arguments)
    except Exception as error:
        stop = final or isinstance(error, JobError)
        run.last_error = str(error) if isinstance(error, JobError) else _error_text(error)
        run.outcome = JobRun.Outcome.FAILED if stop else JobRun.Outcome.RETRYING
        run.finished_at = timezone.now() if stop else None
        run.save(update_fields=["last_error", "outcome", "finished_at"])
        raise
    run.outcome = JobRun.Outcome.SUCCEEDED
    run.finished_at = timezone.now()
    run.items_changed = result.changed
    run.summary = result.summary
    run.details = result.details
    run.progress = ""
    run.save(update_fields=["outcome", "finished_at", "items_changed", "summary", "details", "progress"])
    job_finished.send(sender=job, run=run)
    return result


def _error_text(error):
    """The error and where it happened, short enough to read on the Jobs page."""
    where = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    place = f" ({where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno})" if where else ""
    return f"{type(error).__name__}: {error}{place}"[:2000]
