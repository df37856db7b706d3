"""The Huey tasks behind jobs and email: one periodic task per scheduled job, one task per run."""

from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import mail, registry, running
from .models import JobRun

# Email waits 30 s, 1, 2, 4 and 8 minutes between tries; the resend job picks up what is still unsent.
EMAIL_RETRIES = 5
EMAIL_RETRY_DELAY = 30


@db_task(context=True, name="jobs.run")
def run_job(run_id, task=None):
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None or run.is_finished:
        return  # delivered twice, or already done by hand
    try:
        running.execute(run, final=task is None or not task.retries)
    except running.JobError:
        return  # recorded as failed; retrying would not help


def queue_run(run_id, job):
    HUEY.enqueue(run_job.s(run_id, retries=job.retries, retry_delay=job.retry_delay, retry_backoff=2))


@db_task(retries=EMAIL_RETRIES, retry_delay=EMAIL_RETRY_DELAY, retry_backoff=2, name="jobs.send_email")
def send_email(email_id):
    mail.deliver(email_id)


def run_scheduled(job):
    run = running.claim_slot(job, job.slot(registry.utcnow()))
    if run is not None:
        queue_run(run.pk, job)


def schedule_jobs(jobs):
    for job in jobs:
        if job.schedule is not None:
            db_periodic_task(job.schedule, name=f"jobs.due.{job.name}")(_due(job))


def _due(job):
    def due():
        run_scheduled(job)

    return due
