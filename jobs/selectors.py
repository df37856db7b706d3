"""What the admin's Jobs page shows: every job with its schedule, last run, next run and last error."""

from dataclasses import dataclass

from . import registry
from .models import JobRun

RECENT_RUNS = 50


@dataclass
class JobRow:
    job: registry.Job
    last_run: JobRun | None
    last_finished: JobRun | None
    last_failure: JobRun | None
    next_run: object
    warnings: list


def job_rows(at):
    jobs = registry.all_jobs()
    runs = JobRun.objects.all()
    last = runs.latest_per_job()
    finished = runs.finished().latest_per_job()
    failed = runs.exclude(last_error="").latest_per_job()
    return [
        JobRow(
            job=job,
            last_run=last.get(job.name),
            last_finished=finished.get(job.name),
            last_failure=failed.get(job.name),
            next_run=job.next_run(at),
            warnings=list(job.warnings()) if job.warnings else [],
        )
        for job in jobs
    ]


def recent_runs(job_name=None):
    runs = JobRun.objects.select_related("requested_by")
    if job_name:
        runs = runs.filter(job=job_name)
    return runs[:RECENT_RUNS]
