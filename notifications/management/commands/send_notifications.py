"""Write the "due soon" notifications, then email those of people who want them at once (a job, every 5 minutes)."""

from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "send_notifications"
