"""Email each person who chose a daily digest everything new, in one email (a job, daily at 07:00 UTC)."""

from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "send_notification_digests"
