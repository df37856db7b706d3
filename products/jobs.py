from huey import crontab

from jobs import Job

from .link_health import check_links

JOBS = (
    Job(
        name="check_links",
        title="Check every shop link",
        run=check_links,
        schedule=crontab(minute="0", hour="3", day_of_week="1"),
        schedule_words="weekly, Mondays at 03:00 UTC",
        retries=1,
        retry_delay=600,
    ),
)
