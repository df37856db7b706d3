import pickle
import re
import zlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from glutasite.tests.html_forms import form_data
from guides.models import Guide
from guides.tests.factories import GuideFactory
from readers import newsletter
from readers.models import CorrectionRequest, NewsletterSubscriber
from readers.ratelimit import client_key
from readers.tests.factories import CorrectionRequestFactory, NewsletterSubscriberFactory, PageFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("readers:newsletter_signup")


def links_in(message):
    return re.findall(r"http://testserver(/\S+)", message.body)


def confirm_link(message):
    [link] = [link for link in links_in(message) if "/confirm/" in link]
    return link


def unsubscribe_link(message):
    [link] = [link for link in links_in(message) if "/unsubscribe/" in link]
    return link


@pytest.fixture
def guide():
    return GuideFactory(title="L-Glutamine for Gut Health")


def report_url(guide):
    return reverse("readers:report_error", kwargs={"slug": guide.slug})


# Newsletter: double opt-in


def test_signup_page_offers_the_free_guide(client):
    PageFactory(title="30 gut-friendly foods", for_subscribers=True)
    html = client.get(SIGNUP_URL).content.decode()
    assert "<h1>Get the free guide to 30 gut-friendly foods</h1>" in html
    assert re.search(r'<label\s+for="id_email"[^>]*>\s*Your email address', html)
    assert 'name="csrfmiddlewaretoken"' in html


def test_signup_waits_for_confirmation_then_confirms_by_the_emailed_link(client):
    PageFactory(title="30 gut-friendly foods", slug="gut-friendly-foods", for_subscribers=True)
    response = client.post(SIGNUP_URL, {"email": "  Reader@Example.com ", "website": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("readers:newsletter_sent")
    subscriber = NewsletterSubscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("reader@example.com", NewsletterSubscriber.Status.PENDING)

    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "free guide to 30 gut-friendly foods" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe_link(message)}>"

    # Opening the link asks; only pressing the button confirms, so mail scanners confirm nothing.
    link = confirm_link(message)
    page = client.get(link)
    assert "Subscribe <strong>reader@example.com</strong>" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.PENDING

    confirmed = client.post(link)
    assert "You're subscribed" in confirmed.content.decode()
    assert 'href="/pages/gut-friendly-foods/"' in confirmed.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    welcome = mail.outbox[1]
    assert "http://testserver/pages/gut-friendly-foods/" in welcome.body
    assert unsubscribe_link(welcome)


def test_every_email_carries_a_working_unsubscribe_link(client):
    client.post(SIGNUP_URL, {"email": "reader@example.com"})
    client.post(confirm_link(mail.outbox[0]))
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert unsubscribe_link(message)
    link = unsubscribe_link(mail.outbox[1])
    question = client.get(link).content.decode()
    assert "Stop sending the Glutasite newsletter to <strong>reader@example.com</strong>?" in question
    assert NewsletterSubscriber.objects.confirmed().count() == 1
    response = client.post(link)
    assert "You're unsubscribed" in response.content.decode()
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.status == NewsletterSubscriber.Status.UNSUBSCRIBED
    assert not NewsletterSubscriber.objects.confirmed().exists()


def test_a_confirmed_address_signing_up_again_gets_no_email_and_the_same_answer(client):
    NewsletterSubscriberFactory(email="reader@example.com", status=NewsletterSubscriber.Status.CONFIRMED)
    response = client.post(SIGNUP_URL, {"email": "READER@example.com"})
    assert response["Location"] == reverse("readers:newsletter_sent")
    assert mail.outbox == []
    assert NewsletterSubscriber.objects.count() == 1


def test_an_unsubscribed_address_must_confirm_again(client):
    NewsletterSubscriberFactory(email="reader@example.com", status=NewsletterSubscriber.Status.UNSUBSCRIBED)
    client.post(SIGNUP_URL, {"email": "reader@example.com"})
    assert NewsletterSubscriber.objects.get().status == NewsletterSubscriber.Status.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("kind", ["forged", "other purpose", "unknown subscriber"])
def test_a_bad_confirmation_link_changes_nothing(client, kind):
    subscriber = NewsletterSubscriberFactory()
    token = {
        "forged": newsletter.confirm_token(subscriber)[:-2] + "xx",
        "other purpose": newsletter.unsubscribe_token(subscriber),
        "unknown subscriber": signing.dumps(subscriber.pk + 1, salt=newsletter.CONFIRM_SALT),
    }[kind]
    url = reverse("readers:newsletter_confirm", kwargs={"token": token})
    for response in [client.get(url), client.post(url)]:
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.PENDING


def test_a_confirmation_link_expires_after_a_week(client, monkeypatch):
    subscriber = NewsletterSubscriberFactory()
    url = reverse("readers:newsletter_confirm", kwargs={"token": newsletter.confirm_token(subscriber)})
    eight_days = 8 * 24 * 60 * 60
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + eight_days)
    assert client.post(url).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.PENDING


def test_an_unsubscribe_link_never_expires(client, monkeypatch):
    subscriber = NewsletterSubscriberFactory(status=NewsletterSubscriber.Status.CONFIRMED)
    url = reverse("readers:newsletter_unsubscribe", kwargs={"token": newsletter.unsubscribe_token(subscriber)})
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 3 * 365 * 24 * 60 * 60)
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address."),
        ("reader@", "Enter an email address like name@example.com."),
        ("<script>@example.com", "Enter an email address like name@example.com."),
    ],
)
def test_invalid_email_is_shown_again_with_a_clear_message(client, email, message):
    response = client.post(SIGNUP_URL, {"email": email})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Please check the form: 1 field needs a change." in html
    if email:
        assert f'value="{email.replace("<", "&lt;").replace(">", "&gt;")}"' in html
    assert "<script>@" not in html
    assert not NewsletterSubscriber.objects.exists()
    assert mail.outbox == []


# Report an error


def test_report_page_names_the_guide_and_labels_every_field(client, guide):
    html = client.get(report_url(guide)).content.decode()
    assert "<h1>Report an error</h1>" in html
    assert f'<a href="{guide.get_absolute_url()}">L-Glutamine for Gut Health</a>' in html
    for field in ["location", "description", "source", "email"]:
        assert f'for="id_{field}"' in html
        assert f'id="id_{field}"' in html


def test_reader_reports_an_error_and_editors_see_it_open_in_the_admin(client, editor_client, guide):
    response = client.post(
        report_url(guide),
        {
            "location": "Dosage",
            "description": "The dose in the dosage section says 50 g; the studies used 5 g.",
            "source": "https://pubmed.ncbi.nlm.nih.gov/8098788/",
            "email": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert "Thank you for your report" in client.get(response["Location"]).content.decode()
    report = CorrectionRequest.objects.get()
    assert (report.guide, report.location, report.status) == (guide, "Dosage", CorrectionRequest.Status.OPEN)
    assert list(CorrectionRequest.objects.open()) == [report]

    changelist = editor_client.get(reverse("admin:readers_correctionrequest_changelist") + "?status__exact=open")
    assert "L-Glutamine for Gut Health" in changelist.content.decode()
    assert "Dosage" in changelist.content.decode()


def test_editors_resolve_reports_from_the_admin_list(editor_client):
    report = CorrectionRequestFactory()
    done = CorrectionRequestFactory(status=CorrectionRequest.Status.RESOLVED)
    response = editor_client.post(
        reverse("admin:readers_correctionrequest_changelist"),
        {"action": "mark_resolved", "_selected_action": [report.pk, done.pk]},
        follow=True,
    )
    assert "1 report marked resolved." in [str(message) for message in get_messages(response.wsgi_request)]
    report.refresh_from_db()
    assert report.status == CorrectionRequest.Status.RESOLVED
    assert report.resolved_at is not None
    assert not CorrectionRequest.objects.open().exists()


def test_editor_notes_what_was_done_on_a_report(editor_client):
    report = CorrectionRequestFactory()
    url = reverse("admin:readers_correctionrequest_change", args=[report.pk])
    data = form_data(editor_client.get(url).content.decode(), "correctionrequest_form")
    response = editor_client.post(url, data | {"status": "resolved", "editor_note": "Dose corrected to 5 g."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.editor_note) == ("resolved", "Dose corrected to 5 g.")
    assert report.description == "The dose in the dosage section should be 5 g, not 50 g."


def test_a_too_short_report_is_shown_again_with_what_the_reader_typed(client, guide):
    response = client.post(report_url(guide), {"location": "FAQ", "description": "wrong", "source": "not a link"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tell us a little more: at least 20 characters." in html
    assert "Enter a web address, such as https://pubmed.ncbi.nlm.nih.gov/8098788/." in html
    assert 'value="FAQ"' in html
    assert ">\nwrong</textarea>" in html
    assert "Please check the form: 2 fields need a change." in html
    assert not CorrectionRequest.objects.exists()


def test_reports_are_only_taken_for_published_guides(client):
    draft = GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    assert client.get(report_url(draft)).status_code == 404
    assert client.post(report_url(draft), {"description": "Something is wrong in this draft guide."}).status_code == 404
    assert not CorrectionRequest.objects.exists()


# Both forms: CSRF, honeypot, rate limit


@pytest.fixture
def reader_forms(guide):
    return {
        "newsletter": (SIGNUP_URL, {"email": "reader@example.com"}, NewsletterSubscriber),
        "report": (
            report_url(guide),
            {"description": "The dose in the dosage section should be 5 g, not 50 g."},
            CorrectionRequest,
        ),
    }


@pytest.mark.parametrize("form", ["newsletter", "report"])
def test_forms_refuse_a_post_without_the_csrf_token(reader_forms, form):
    url, data, model = reader_forms[form]
    response = Client(enforce_csrf_checks=True).post(url, data)
    assert response.status_code == 403
    assert not model.objects.exists()


@pytest.mark.parametrize("form", ["newsletter", "report"])
def test_forms_filled_in_by_a_bot_store_nothing_but_look_sent(client, reader_forms, form):
    url, data, model = reader_forms[form]
    response = client.post(url, data | {"website": "https://spam.example.com"})
    assert response.status_code == 302
    assert not model.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("form", ["newsletter", "report"])
def test_forms_stop_a_client_after_ten_posts_an_hour(client, reader_forms, form):
    url, data, model = reader_forms[form]
    for _ in range(10):
        assert client.post(url, data, REMOTE_ADDR="203.0.113.7").status_code == 302
    stored = model.objects.count()
    response = client.post(url, data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have sent this form too many times in the last hour." in html
    assert "reader@example.com" in html or "should be 5 g" in html
    assert model.objects.count() == stored
    # Another reader is not held back.
    assert client.post(url, data, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_rate_limit_keeps_no_raw_address(client, reader_forms, settings):
    url, data, _ = reader_forms["report"]
    client.post(url, data, REMOTE_ADDR="203.0.113.7")
    assert cache.get(client_key(RequestFactory().post(url, REMOTE_ADDR="203.0.113.7"), "report_error")) == 1
    stored = []
    for path in Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache"):  # expiry, then the value
        with path.open("rb") as entry:
            stored.append((path.name, pickle.load(entry), zlib.decompress(entry.read())))
    assert "203.0.113.7" not in repr(stored)


def test_behind_the_proxy_the_limit_follows_the_address_the_proxy_saw(client, reader_forms, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    url, data, _ = reader_forms["report"]
    for n in range(10):
        # A client cannot dodge the limit by sending its own X-Forwarded-For: the proxy appends the real one.
        response = client.post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")
        assert response.status_code == 302
    assert client.post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
