import socket
import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse

from jobs import mail as queued_mail
from jobs.models import JobRun, OutgoingEmail
from readers.models import NewsletterSubscriber

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("readers:newsletter_signup")


@pytest.fixture
def queued(settings):
    settings.EMAIL_BACKEND = "jobs.mail.QueuedEmailBackend"
    settings.JOBS_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def smtp_server(queued):
    """Point the real sending at a local SMTP server; `hanging` accepts and never answers."""

    def serve(kind):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        if kind == "hanging":
            listener.listen(8)  # connections complete in the backlog; no greeting ever comes
            servers.append(listener)
        else:
            listener.close()  # nothing listens: connections are refused
        queued.JOBS_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        queued.EMAIL_HOST, queued.EMAIL_PORT, queued.EMAIL_USE_TLS, queued.EMAIL_TIMEOUT = "127.0.0.1", port, False, 1

    servers = []
    yield serve
    for listener in servers:
        listener.close()


def sign_up(client, address="reader@example.com"):
    started = time.monotonic()
    response = client.post(SIGNUP_URL, {"email": address, "website": ""})
    return response, time.monotonic() - started


def test_an_email_is_kept_as_json_and_sent_by_the_worker_with_everything_it_had(queued, job_queue):
    message = EmailMultiAlternatives(
        "Confirm your address",
        "Open this link.",
        "Glutasite <newsletter@example.com>",
        ["reader@example.com"],
        headers={"List-Unsubscribe": "<https://example.com/u/1/>"},
    )
    message.attach_alternative("<p>Open this link.</p>", "text/html")
    message.attach("terms.txt", "Be kind.", "text/plain")
    message.send()
    stored = OutgoingEmail.objects.get()
    assert (stored.to, stored.alternatives) == (["reader@example.com"], [["<p>Open this link.</p>", "text/html"]])
    assert mail.outbox == []
    assert len(job_queue) == 0
    queued_mail.deliver(stored.pk)
    [sent] = mail.outbox
    assert (sent.subject, sent.from_email, sent.to) == (message.subject, message.from_email, message.to)
    assert sent.extra_headers["List-Unsubscribe"] == "<https://example.com/u/1/>"
    assert sent.alternatives[0][0] == "<p>Open this link.</p>"
    assert sent.attachments[0][:2] == ("terms.txt", "Be kind.")
    stored.refresh_from_db()
    assert stored.sent_at is not None


def test_a_sign_up_queues_its_email_and_a_worker_sends_it(
    queued, client, job_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = sign_up(client)
    assert response.status_code == 302
    assert mail.outbox == []
    assert len(job_queue) == 1
    job_queue.run_queued()
    [message] = mail.outbox
    assert "/newsletter/confirm/" in message.body
    assert OutgoingEmail.objects.get().sent_at is not None


@pytest.mark.parametrize("server", ["hanging", "refusing"])
def test_a_mail_server_that_hangs_or_refuses_never_slows_or_breaks_a_sign_up(
    smtp_server,
    server,
    client,
    job_queue,
    django_capture_on_commit_callbacks,
):
    smtp_server(server)
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = sign_up(client)
    assert response.status_code == 302
    assert seconds < 0.5
    assert NewsletterSubscriber.objects.get().status == NewsletterSubscriber.Status.PENDING
    # The worker meets the outage: the send gives up after EMAIL_TIMEOUT and is tried again later.
    started = time.monotonic()
    job_queue.run_queued()
    assert time.monotonic() - started < 3
    email = OutgoingEmail.objects.get()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert ("timed out" if server == "hanging" else "refused") in email.last_error.lower()
    assert job_queue.run_retries_due(after_seconds=31) == 1


def test_the_resend_job_sends_what_is_still_waiting_once(queued, client):
    sign_up(client)  # its task never ran: the callbacks were not captured
    assert OutgoingEmail.objects.unsent().count() == 1
    call_command("send_queued_mail", verbosity=0)
    call_command("send_queued_mail", verbosity=0)
    assert len(mail.outbox) == 1
    runs = JobRun.objects.filter(job="send_queued_mail").order_by("pk")
    assert [run.summary for run in runs] == ["Sent 1 of 1 waiting email.", "Sent 0 of 0 waiting emails."]


def test_an_email_being_sent_by_one_worker_is_not_sent_by_another(queued):
    mail.send_mail("Hello", "Body", None, ["reader@example.com"])
    email = OutgoingEmail.objects.get()
    OutgoingEmail.objects.filter(pk=email.pk).update(sending_since=email.created_at)
    assert queued_mail.deliver(email.pk, at=email.created_at) is False
    assert mail.outbox == []
