"""Write notifications: one row per person who wants this kind, inside the caller's transaction.

Nothing here sends email; `notifications.sending` does, from a job.
"""

from django.contrib.auth import get_user_model

from .models import Notification, NotificationSettings


def notify(kind, people, *, title, body="", url="", guide=None, actor=None, dedupe_key=""):
    """Tell `people` (users, None ignored) about one event of `kind`; never the person who caused it.

    With a `dedupe_key`, a person told once about this event is not told again.
    Returns the notifications written.
    """
    ids = {person.pk for person in people if person is not None and person != actor}
    if not ids:
        return []
    muted = {
        user_id
        for user_id, kinds in NotificationSettings.objects.filter(user__in=ids).values_list("user", "muted_kinds")
        if kind in (kinds or [])
    }
    recipients = get_user_model().objects.filter(pk__in=ids - muted, is_active=True).order_by("pk")
    if dedupe_key:
        recipients = recipients.exclude(notifications__dedupe_key=dedupe_key[:200])
    notifications = [
        Notification(
            recipient=recipient,
            kind=kind,
            title=title[:300],
            body=body,
            url=url,
            guide=guide,
            dedupe_key=dedupe_key[:200],
        )
        for recipient in recipients
    ]
    # ignore_conflicts: a job running twice at once still writes each event once.
    return Notification.objects.bulk_create(notifications, ignore_conflicts=bool(dedupe_key))


def name_of(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()
