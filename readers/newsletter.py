"""Double opt-in for the newsletter: sign up, confirm by a signed link, unsubscribe from any email."""

from datetime import timedelta

from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import NewsletterSubscriber, Page

CONFIRM_SALT = "guides.newsletter.confirm"  # kept: links already emailed must still work
UNSUBSCRIBE_SALT = "guides.newsletter.unsubscribe"
CONFIRM_LINK_LIFETIME = timedelta(days=7)


def lead_magnet():
    """The free guide the signup form offers: the first page marked for subscribers, if any."""
    return Page.objects.filter(for_subscribers=True).order_by("pk").first()


def confirm_token(subscriber):
    return signing.dumps(subscriber.pk, salt=CONFIRM_SALT)


def unsubscribe_token(subscriber):
    # Unsubscribe links never expire: they sit in every email we have sent.
    return signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)


def subscriber_from_token(token, *, salt, max_age=None):
    """The subscriber a signed link names, or None when the link is forged, expired or unknown."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return NewsletterSubscriber.objects.filter(pk=pk).first()


def subscriber_to_confirm(token):
    return subscriber_from_token(token, salt=CONFIRM_SALT, max_age=CONFIRM_LINK_LIFETIME)


def subscriber_to_unsubscribe(token):
    return subscriber_from_token(token, salt=UNSUBSCRIBE_SALT)


def _send(subscriber, template, request, **context):
    unsubscribe_url = request.build_absolute_uri(
        reverse("readers:newsletter_unsubscribe", kwargs={"token": unsubscribe_token(subscriber)}),
    )
    context |= {"subscriber": subscriber, "unsubscribe_url": unsubscribe_url}
    subject = render_to_string(f"readers/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"readers/email/{template}.txt", context)
    EmailMessage(subject, body, to=[subscriber.email], headers={"List-Unsubscribe": f"<{unsubscribe_url}>"}).send()


def subscriber_sign_up(*, email, request):
    """Record the address as waiting and send the confirmation link.

    An address already confirmed gets no email: the reader sees the same
    "check your inbox" page either way, so the form never tells who subscribed.
    """
    subscriber, _ = NewsletterSubscriber.objects.get_or_create(email=email.strip().lower())
    if subscriber.status == NewsletterSubscriber.Status.CONFIRMED:
        return subscriber
    if subscriber.status == NewsletterSubscriber.Status.UNSUBSCRIBED:
        subscriber.status = NewsletterSubscriber.Status.PENDING
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    confirm_url = request.build_absolute_uri(
        reverse("readers:newsletter_confirm", kwargs={"token": confirm_token(subscriber)}),
    )
    _send(
        subscriber,
        "newsletter_confirm",
        request,
        confirm_url=confirm_url,
        lead_magnet=lead_magnet(),
        days=CONFIRM_LINK_LIFETIME.days,
    )
    return subscriber


def subscriber_confirm(*, subscriber, request):
    if subscriber.status == NewsletterSubscriber.Status.CONFIRMED:
        return subscriber
    subscriber.status = NewsletterSubscriber.Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    magnet = lead_magnet()
    magnet_url = request.build_absolute_uri(magnet.get_absolute_url()) if magnet else ""
    _send(subscriber, "newsletter_welcome", request, lead_magnet=magnet, lead_magnet_url=magnet_url)
    return subscriber


def subscriber_unsubscribe(*, subscriber):
    if subscriber.status != NewsletterSubscriber.Status.UNSUBSCRIBED:
        subscriber.status = NewsletterSubscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
