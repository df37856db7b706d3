from huey import crontab

from jobs import Job, Result

from .sending import send_digests, send_notifications


def _plural(count, one):
    return f"{count} {one}{'s' if count != 1 else ''}"


def send_now(*, progress):
    sent = send_notifications()
    return Result(changed=sent, summary=f"Emailed {_plural(sent, 'notification')}.")


def send_daily_digests(*, progress):
    sent = send_digests()
    return Result(changed=sent, summary=f"Emailed {_plural(sent, 'notification')} in daily digests.")


JOBS = (
    Job(
        name="send_notifications",
        title="Send notifications to those who want them at once",
        run=send_now,
        schedule=crontab(minute="*/5"),
        schedule_words="every 5 minutes",
        changes_reader_pages=False,
    ),
    Job(
        name="send_notification_digests",
        title="Send the daily notification digests",
        run=send_daily_digests,
        schedule=crontab(minute="0", hour="7"),
        schedule_words="daily at 07:00 UTC",
        changes_reader_pages=False,
    ),
)
