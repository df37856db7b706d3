from huey import crontab

from .mail import send_unsent
from .registry import Job

JOBS = (
    Job(
        name="send_queued_mail",
        title="Send email that is still waiting",
        run=send_unsent,
        schedule=crontab(minute="*/10"),
        schedule_words="every 10 minutes",
        retries=0,
        changes_reader_pages=False,
    ),
)
