"""Email notifications: at once, or gathered into one daily digest, as each person chose.

These are the jobs' work, never a request's: `send_notifications()` every
few minutes (it first writes the "due soon" notifications), `send_digests()`
once a day, each also a management command (`send_notifications`,
`send_notification_digests`). Both are idempotent: a notification is emailed
once, and a failed email is tried again on the next run.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from guides.models import Assignment

from .kinds import KINDS
from .models import Notification, NotificationSettings
from .notify import notify

logger = logging.getLogger(__name__)
Delivery = NotificationSettings.Delivery


def notify_due_soon(at=None):
    """Tell each assignee about what they have due today or tomorrow, once per assignment and due day."""
    written = 0
    assignments = Assignment.objects.due_soon(at).select_related("assignee", "guide__pending_change_of")
    today = timezone.localdate(at)
    for assignment in assignments:
        when = "today" if assignment.due_on == today else "tomorrow"
        written += len(
            notify(
                "due_soon",
                [assignment.assignee],
                title=f"“{assignment.guide}” is due {when}",
                body=assignment.note,
                url=reverse("admin:guides_guide_change", args=[assignment.guide_id]),
                guide=assignment.guide,
                dedupe_key=f"due-soon:{assignment.pk}:{assignment.due_on.isoformat()}",
            ),
        )
    return written


def _emailable(delivery):
    """Unsent notifications of people who want `delivery` and have an address."""
    chosen = NotificationSettings.objects.filter(delivery=delivery).values("user")
    pending = Notification.objects.not_emailed().exclude(recipient__email="")
    if delivery == Delivery.IMMEDIATE:
        # No settings row means the default: at once.
        others = NotificationSettings.objects.exclude(delivery=Delivery.IMMEDIATE).values("user")
        return pending.exclude(recipient__in=others)
    return pending.filter(recipient__in=chosen)


def _link(path):
    return settings.GLUTASITE_SITE_URL.rstrip("/") + path if path else ""


def _send(recipient, notifications, *, subject, template, at):
    """Email one person these notifications and mark them sent; a failure leaves them for the next run."""
    with transaction.atomic():
        locked = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[n.pk for n in notifications], emailed_at__isnull=True)
            .order_by("created_at", "pk"),
        )
        if not locked:
            return 0
        context = {
            "recipient": recipient,
            "notifications": [(n, _link(n.url)) for n in locked],
            "groups": _grouped(locked),
            "settings_url": _link(reverse("admin:notification_settings")),
            "list_url": _link(reverse("admin:notifications")),
        }
        body = render_to_string(template, context)
        try:
            EmailMessage(subject, body, to=[recipient.email]).send()
        except Exception:
            logger.exception("Could not email %s their notifications; trying again next run.", recipient)
            transaction.set_rollback(True)
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in locked]).update(emailed_at=at)
        return len(locked)


def _grouped(notifications):
    by_kind = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind].append((notification, _link(notification.url)))
    return [(kind.label, by_kind[kind.key]) for kind in KINDS if by_kind[kind.key]]


def send_notifications(at=None):
    """Write what is due soon, then email every unsent notification of people who want them at once."""
    at = at or timezone.now()
    notify_due_soon(at)
    sent = 0
    for notification in _emailable(Delivery.IMMEDIATE).filter(created_at__lte=at).select_related("recipient"):
        sent += _send(
            notification.recipient,
            [notification],
            subject=f"[Glutasite] {notification.title}",
            template="notifications/email/notification.txt",
            at=at,
        )
    return sent


def send_digests(at=None):
    """Email each person who chose a daily digest everything unsent, in one email grouped by kind."""
    at = at or timezone.now()
    by_person = defaultdict(list)
    for notification in _emailable(Delivery.DAILY).filter(created_at__lte=at).select_related("recipient"):
        by_person[notification.recipient].append(notification)
    sent = 0
    for recipient, notifications in by_person.items():
        count = len(notifications)
        sent += _send(
            recipient,
            notifications,
            subject=f"[Glutasite] Your day: {count} notification{'s' if count != 1 else ''}",
            template="notifications/email/digest.txt",
            at=at,
        )
    return sent
