from huey import crontab

from jobs import Job

from .import_jobs import import_kept_file
from .link_health import check_links
from .price_feeds import failing_feed_warnings, fetch_prices

JOBS = (
    Job(
        name="import_products",
        title="Import a large spreadsheet of products and offers",
        run=import_kept_file,
        retries=0,  # all or nothing: a refused file is shown, not tried again
        can_run_now=False,  # started by the admin's import, with the file
    ),
    Job(
        name="fetch_prices",
        title="Fetch merchants' price feeds",
        run=fetch_prices,
        schedule=crontab(minute="*/15"),
        schedule_words="every 15 minutes (each feed by its own hours)",
        retries=0,  # a failing feed counts its own failures and is fetched again next time
        warnings=failing_feed_warnings,
    ),
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
