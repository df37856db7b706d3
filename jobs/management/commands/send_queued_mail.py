from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "send_queued_mail"
