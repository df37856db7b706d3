from huey import crontab

from jobs import Job

from .retraction_watch import check_retractions

JOBS = (
    Job(
        name="check_retractions",
        title="Watch for retractions and notices about our studies",
        run=check_retractions,
        schedule=crontab(minute="0", hour="4"),
        schedule_words="daily at 04:00 UTC",
        retries=2,
        retry_delay=900,
    ),
)
