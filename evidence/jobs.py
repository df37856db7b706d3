from huey import crontab

from jobs import Job

from .adding import add_studies
from .retraction_watch import check_retractions

JOBS = (
    Job(
        name="add_studies",
        title="Add studies by identifier",
        run=add_studies,
        retries=0,  # the services are retried request by request; a failed look-up is shown to the editor
        can_run_now=False,  # started from Studies → Add by identifier, with the list
        changes_reader_pages=False,
    ),
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
