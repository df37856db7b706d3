"""Every email the site sends leaves through the queue.

`QueuedEmailBackend` (settings.EMAIL_BACKEND) only stores the message as an
OutgoingEmail row, as JSON, and queues a task once the current transaction
commits; so a mail server that hangs or refuses never slows or breaks the
request that sent it. The task hands the message to the real backend
(settings.JOBS_EMAIL_BACKEND: console in development, SMTP otherwise, with
EMAIL_TIMEOUT), retrying with growing delays; the `send_queued_mail` job
sends whatever is still unsent. A message is leased while it is being sent,
so the task and the job never send it twice.
"""

import base64
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail
from .registry import Result

# Longer than any send takes with EMAIL_TIMEOUT: a lease older than this was left by a worker that died.
SENDING_LEASE = timedelta(minutes=5)
# Unsent mail older than this is no longer tried: a confirmation link a week late helps nobody.
GIVE_UP_AFTER = timedelta(days=3)


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .tasks import send_email

        for message in email_messages:
            email = store(message)
            transaction.on_commit(lambda pk=email.pk: send_email(pk))
        return len(email_messages)


def store(message):
    return OutgoingEmail.objects.create(
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers={name: str(value) for name, value in message.extra_headers.items()},
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        attachments=[_attachment(item) for item in message.attachments],
    )


def _attachment(item):
    filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode()
    return [filename, base64.b64encode(content).decode("ascii"), mimetype]


def rebuild(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers,
    )
    for content, mimetype in email.alternatives:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in email.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def deliver(email_id, at=None):
    """Send one stored email through the real backend; False when it is sent or being sent elsewhere."""
    at = at or timezone.now()
    free = OutgoingEmail.objects.unsent().filter(pk=email_id)
    claimed = free.filter(sending_since=None) | free.filter(sending_since__lt=at - SENDING_LEASE)
    if not claimed.update(sending_since=at):
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        with get_connection(settings.JOBS_EMAIL_BACKEND, fail_silently=False) as connection:
            connection.send_messages([rebuild(email)])
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email_id).update(
            sending_since=None,
            attempts=email.attempts + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(
        sent_at=timezone.now(),
        sending_since=None,
        attempts=email.attempts + 1,
        last_error="",
    )
    return True


def send_unsent(*, progress, at=None):
    """The job: send every unsent email younger than GIVE_UP_AFTER that no task is sending now."""
    at = at or timezone.now()
    waiting = list(
        OutgoingEmail.objects.unsent()
        .filter(created_at__gte=at - GIVE_UP_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = failed = 0
    for done, pk in enumerate(waiting, start=1):
        try:
            sent += deliver(pk, at=at)
        except Exception:  # recorded on the email; the next run tries again
            failed += 1
        progress(done, len(waiting), "emails")
    summary = f"Sent {sent} of {len(waiting)} waiting email{'s' if len(waiting) != 1 else ''}"
    return Result(changed=sent, summary=summary + (f"; {failed} failed again." if failed else "."))
