"""Cross-site scripting: every payload in xss_payloads.txt, in every text field editors or readers fill in,
must reach the page as inert text.

Each stored value is the payload followed by a marker, "xss017 title" for payload 17 in a title, so
the tests also prove that every field with every payload reached a page as text: a field that stopped
rendering could not make these tests pass by showing nothing. Pages are parsed here, on the server, in
milliseconds; browser/test_xss_browser.py loads a few of the same pages in Chromium.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from django.urls import reverse

from glutasite.tests.xss_corpus import (
    LONGEST_PAYLOAD,
    PAYLOADS,
    READER_FIELDS,
    check_pages,
    every_field_with_every_payload,
    executable_markup,
    markdown,
    missing_markers,
    plain,
)
from guides import revisions
from guides.tests.factories import GuideFactory, KeyBenefitFactory
from readers.models import CorrectionRequest, NewsletterSubscriber
from readers.newsletter import confirm_token, unsubscribe_token

pytestmark = pytest.mark.django_db


def test_the_corpus_has_enough_payloads_and_each_fits_the_shortest_field():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    too_long = [payload for payload in PAYLOADS if len(payload) > LONGEST_PAYLOAD]
    assert too_long == []


def test_the_checker_finds_what_a_browser_would_run():
    """The checks below are only as good as this: each line here is a way markup runs."""
    injected = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        "<svg><a href=javascript:alert(1)>x</a></svg>",
        "<iframe srcdoc=x></iframe>",
        '<form action="/"><button>go</button></form>',
        '<meta http-equiv="refresh" content="0">',
        '<script type="application/ld+json">{"a": "</scr" + "ipt>"}</script>',
    ]
    for markup in injected:
        assert executable_markup(f"<!doctype html><title>t</title><main>{markup}</main>"), markup
    safe = '<script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script><p>&lt;script&gt;</p>'
    assert executable_markup(f"<!doctype html><title>t</title>{safe}") == []


@pytest.fixture(scope="module")
def reader_paths(django_db_setup, django_db_blocker):
    """The content is built once for the module, as it takes seconds; it is rolled back at the end,
    and each test's own changes roll back as usual inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield every_field_with_every_payload()
        transaction.set_rollback(True)


def test_editor_text_in_every_reader_field_renders_inert(client, reader_paths):
    problems, text = check_pages(client, reader_paths)
    assert problems == []
    assert missing_markers(text, READER_FIELDS) == []
    assert missing_markers(text, ["retraction"], range(0, len(PAYLOADS), 2)) == []  # the retracted studies


def test_editor_text_reaches_the_feed_as_well_formed_inert_xml(client, reader_paths):
    response = client.get(reverse("readers:feed"))
    feed = ET.fromstring(response.content)  # a payload that broke the XML would raise here
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 30  # the newest guides, each with a payload in its title and intro
    problems = []
    for entry in entries:
        summary = entry.find(f"{atom}summary")
        problems += executable_markup(summary.text or "")
    assert problems == []
    titles = " ".join(entry.find(f"{atom}title").text for entry in entries)
    assert all(PAYLOADS[int(number)] in titles for number in re.findall(r"xss(\d{3}) guidetitle", titles))


def test_editor_text_is_inert_in_the_admin(admin_client, reader_paths):
    gate_guide = GuideFactory(title="Gate guide", status="draft", published_at=None)
    for number in range(len(PAYLOADS)):
        # A key benefit without a claim makes the publish gate quote its title.
        KeyBenefitFactory(guide=gate_guide, order=number, title=plain(number, "gate"), claim=None)
    revisions.record_revision(gate_guide, None)
    gate_guide.title = plain(0, "revisedtitle")
    gate_guide.intro = markdown(1, "revisedintro")
    gate_guide.save()
    revisions.record_revision(gate_guide, None)
    admin = [
        "guides_guide_changelist",
        "guides_category_changelist",
        "guides_reviewer_changelist",
        "readers_page_changelist",
        "guides_guide_review_queue",
        "evidence_study_changelist",
        "evidence_claim_changelist",
        "products_product_changelist",
        "products_offer_changelist",
        "products_brand_changelist",
        "products_merchant_changelist",
    ]
    paths = [f"{reverse(f'admin:{name}')}?all=" for name in admin] + [
        reverse("admin:guides_guide_change", args=[gate_guide.pk]),
        reverse("admin:guides_guide_revision", args=[gate_guide.pk, 2]),
    ]
    problems, text = check_pages(admin_client, paths, admin=True)
    assert problems == []
    assert missing_markers(text, ["guidetitle", "studytitle", "claim", "product", "brand", "merchant", "gate"]) == []
    assert missing_markers(text, ["revisedtitle"], [0]) == []


# ---------------------------------------------------------------- what readers type


def test_reader_input_in_every_public_form_renders_inert(client, admin_client):
    guide = GuideFactory(slug="reported")
    report_url = reverse("readers:report_error", args=[guide.slug])
    problems = []

    def check(response, what):
        assert response.status_code in {200, 302}, f"{what} answered {response.status_code}"
        if response.status_code == 200:
            problems.extend(f"{what}: {problem}" for problem in executable_markup(response.content.decode()))
        return response

    for number, payload in enumerate(PAYLOADS):
        # A client address per payload keeps the forms' rate limit from answering instead.
        address = {"REMOTE_ADDR": f"10.0.{number // 200}.{number % 200 + 1}"}
        check(client.get(reverse("readers:search"), {"q": payload}), f"search for payload {number}")
        refused = check(client.post(reverse("readers:newsletter_signup"), {"email": payload}, **address), "signup")
        assert "Enter an email address like name@example.com." in refused.content.decode()
        refused = check(
            client.post(
                report_url,
                {"location": payload, "description": payload, "source": payload, "email": payload},
                **address,
            ),
            f"refused report {number}",
        )
        assert refused.status_code == 200  # shown again with the reader's text in the fields
        saved = check(
            client.post(
                report_url,
                {"location": plain(number, "where"), "description": markdown(number, "what is wrong here")},
                **address,
            ),
            f"report {number}",
        )
        assert saved.status_code == 302
    # An address may quote almost anything before the @, so a payload can be a valid address.
    subscriber = NewsletterSubscriber.objects.create(email='"<script>alert(1)</script>"@example.com')
    for path in [
        reverse("readers:newsletter_confirm", args=[confirm_token(subscriber)]),
        reverse("readers:newsletter_unsubscribe", args=[unsubscribe_token(subscriber)]),
    ]:
        check(client.get(path), path)
    assert problems == []

    # Editors then read the reports and the subscribers in the admin.
    assert CorrectionRequest.objects.count() == len(PAYLOADS)
    report = CorrectionRequest.objects.order_by("pk").first()
    admin_paths = [
        f"{reverse('admin:readers_correctionrequest_changelist')}?all=",
        reverse("admin:readers_correctionrequest_change", args=[report.pk]),
        reverse("admin:readers_newslettersubscriber_changelist"),
        reverse("admin:guides_guide_review_queue"),
    ]
    problems, text = check_pages(admin_client, admin_paths, admin=True)
    assert problems == []
    assert missing_markers(text, ["where"]) == []
