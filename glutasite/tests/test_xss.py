"""Cross-site scripting: every payload in xss_payloads.txt, in every text field editors or readers fill in,
must reach the page as inert text.

Each stored value is the payload followed by a marker, "xss017 title" for payload 17 in a title, so
the tests also prove that every field with every payload reached a page as text: a field that stopped
rendering could not make these tests pass by showing nothing. Pages are parsed here, on the server, in
milliseconds; browser/test_xss_browser.py loads a few of the same pages in Chromium.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from math import ceil
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory
from evidence.views import STUDIES_PER_PAGE
from guides import revisions
from guides.models import SiteSettings
from guides.tests.factories import (
    CategoryFactory,
    CitationFactory,
    ComplaintFactory,
    FAQFactory,
    GuideFactory,
    KeyBenefitFactory,
    RankedProductFactory,
    ReviewerFactory,
    SafetyWarningFactory,
    SectionFactory,
)
from guides.views import GUIDES_PER_PAGE
from products.tests.factories import BrandFactory, MerchantFactory, OfferFactory, ProductFactory
from readers.models import CorrectionRequest, NewsletterSubscriber, Page
from readers.newsletter import confirm_token, unsubscribe_token

pytestmark = pytest.mark.django_db


def load_payloads():
    lines = Path(__file__).with_name("xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = load_payloads()
# The shortest text field readers see holds 100 characters (a category name, an award); PostgreSQL
# would refuse a longer value, so payload, space and marker must fit in it.
LONGEST_PAYLOAD = 75


def marker(number, field):
    return f"xss{number:03d} {field}"


def plain(number, field):
    """A one-line field: the payload, then its marker."""
    return f"{PAYLOADS[number]} {marker(number, field)}"


def markdown(number, field):
    """A Markdown field: the payload as written, its marker a paragraph of its own."""
    return f"{PAYLOADS[number]}\n\n{marker(number, field)}"


# ---------------------------------------------------------------- what counts as executable

URL_ATTRIBUTES = {
    "href",
    "xlink:href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "srcset",
    "background",
    "cite",
    "ping",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements none of our pages has, each a way to run script, restyle or load another document.
FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "math",
    "style",
    "noscript",
    "template",
    "portal",
}
# The reader site's own forms; any other <form> was injected.
OUR_FORM_CLASSES = {"site-search", "search-form", "reader-form", "study-filters"}
# Browsers drop tabs and newlines anywhere in a URL, and controls and spaces around it.
URL_IGNORED = re.compile(r"[\x00-\x20]")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageChecker(HTMLParser):
    """Reads a page once, noting anything that could run script and collecting its text.

    Python's parser, not a browser's: it is fast enough for hundreds of pages, and it only has to
    tell escaped text from markup. Where the two parsers could disagree (markup inside <title> or
    <textarea>), it sees an element where a browser sees text, so it errs towards failing;
    browser/test_xss_browser.py checks a few of the same pages in Chromium itself.
    `admin` allows what the Django admin's own templates use: script files, JSON data blocks, a
    <style>, icons drawn in <svg> and forms without a class; handlers, URLs and scripts are still
    checked there.
    """

    def __init__(self, *, admin=False):
        super().__init__(convert_charrefs=True)
        self.admin = admin
        self.problems = []
        self.text = []
        self.open = []  # (tag, attributes) of the elements around the current one
        self.script = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        where = self.get_starttag_text()
        handlers = [name for name in attributes if name.startswith("on")]
        if handlers:
            self.problems.append(f"{where}: event handler {', '.join(handlers)}")
        for name in URL_ATTRIBUTES & attributes.keys():
            url = URL_IGNORED.sub("", attributes[name]).lower()
            if url.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"{where}: {name} is a {url.split(':')[0]}: URL")
        if tag in FORBIDDEN_TAGS and not (self.admin and tag == "style"):
            self.problems.append(f"{where}: injected <{tag}>")
        if tag == "meta":
            if "http-equiv" in attributes:
                self.problems.append(f"{where}: injected http-equiv")
            self.text.append(attributes.get("content", ""))  # descriptions readers see in link previews
        if tag == "svg":
            parent_class = self.open[-1][1].get("class", "") if self.open else ""
            if not self.admin and "price-chart" not in parent_class.split():
                self.problems.append(f"{where}: injected <svg>")
        if tag == "form" and not self.admin and not OUR_FORM_CLASSES & set(attributes.get("class", "").split()):
            self.problems.append(f"{where}: injected <form>")
        if tag == "script":
            self.script = (where, attributes, [])
        if tag not in VOID_TAGS:
            self.open.append((tag, attributes))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag == "script" and self.script:
            self.check_script(*self.script)
            self.script = None
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        (self.script[2] if self.script else self.text).append(data)

    def check_script(self, where, attributes, pieces):
        text = "".join(pieces)
        kind = attributes.get("type", "").lower()
        if kind == "application/ld+json" or (self.admin and kind == "application/json"):
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"{where}: a JSON block that is not JSON: {text[:120]!r}")
            if "</script" in text.lower() or "<!--" in text:
                self.problems.append(f"{where}: a JSON block holding {text[:120]!r}")
        elif not (self.admin and re.match(r"/[^/\\]", attributes.get("src", "")) and not text.strip()):
            self.problems.append(f"{where}: a script {text[:80]!r}")


def check_html(html, *, admin=False):
    """(problems, text): what could run in this HTML, and its text with spaces collapsed."""
    checker = PageChecker(admin=admin)
    checker.feed(html)
    checker.close()
    if checker.script:  # a <script> never closed swallows the rest of the page
        checker.check_script(*checker.script)
    return checker.problems, " ".join(" ".join(checker.text).split())


def executable_markup(html, *, admin=False):
    return check_html(html, admin=admin)[0]


def check_pages(client, paths, *, admin=False):
    """Fetch every path, check each page, and return all their text for the marker checks."""
    problems, texts = [], []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        found, text = check_html(response.content.decode(), admin=admin)
        problems += [f"{path}: {problem}" for problem in found]
        texts.append(text)
    return problems, " ".join(texts)


def missing_markers(text, fields, numbers=None):
    numbers = range(len(PAYLOADS)) if numbers is None else numbers
    return [marker(number, field) for field in fields for number in numbers if marker(number, field) not in text]


# ---------------------------------------------------------------- the content editors write


def every_field_with_every_payload():
    """For each payload: a guide, category, reviewer, page, product, brand, merchant, study and claim
    holding it in every text field, and one guide whose parts hold every payload.

    Returns the reader paths that show them and the field names the markers use.
    """
    site = SiteSettings.load()
    site.medical_disclaimer = "\n\n".join(markdown(number, "disclaimer") for number in range(len(PAYLOADS)))
    site.save()
    parts_guide = GuideFactory(title="Every part of a guide", slug="every-part")
    paths = {parts_guide.get_absolute_url(), reverse("readers:report_error", args=[parts_guide.slug])}
    retracted_on = date(2024, 5, 1)
    for number in range(len(PAYLOADS)):
        product = ProductFactory(
            brand=BrandFactory(name=plain(number, "brand")),
            name=plain(number, "product"),
            serving_size=plain(number, "serving"),
            certifications=plain(number, "seal"),
        )
        OfferFactory(product=product, merchant=MerchantFactory(name=plain(number, "merchant")))
        study = StudyFactory(
            title=plain(number, "studytitle"),
            authors=plain(number, "authors"),
            journal=plain(number, "journal"),
            finding=plain(number, "finding"),
            summary=markdown(number, "studysummary"),
            population=plain(number, "population"),
            dose=plain(number, "dose"),
            duration=plain(number, "duration"),
            outcome=plain(number, "outcome"),
            retracted=number % 2 == 0,
            retracted_on=retracted_on if number % 2 == 0 else None,
            retraction_note=plain(number, "retraction") if number % 2 == 0 else "",
        )
        claim = ClaimFactory(
            statement=plain(number, "claim"),
            summary=markdown(number, "claimsummary"),
            grade_override="strong",
            grade_override_reason=plain(number, "claimreason"),
        )
        ClaimStudyFactory(claim=claim, study=study, note=plain(number, "stancenote"))

        KeyBenefitFactory(guide=parts_guide, order=number, title=plain(number, "benefit"), claim=claim)
        KeyBenefitFactory(guide=parts_guide, order=number, text=markdown(number, "benefittext"), claim=None)
        RankedProductFactory(
            guide=parts_guide,
            product=product,
            rank=number + 1,
            award=plain(number, "award"),
            verdict=markdown(number, "verdict"),
        )
        SectionFactory(guide=parts_guide, order=number, heading=plain(number, "heading"), body=markdown(number, "body"))
        ComplaintFactory(
            guide=parts_guide,
            order=number,
            complaint=plain(number, "complaint"),
            answer=markdown(number, "answer"),
        )
        SafetyWarningFactory(guide=parts_guide, order=number, text=markdown(number, "warning"))
        FAQFactory(guide=parts_guide, order=number, question=plain(number, "question"), answer=markdown(number, "faq"))
        CitationFactory(guide=parts_guide, study=study, order=number)

        guide = GuideFactory(
            title=plain(number, "guidetitle"),
            category=CategoryFactory(name=plain(number, "category")),
            reviewer=ReviewerFactory(
                name=plain(number, "reviewer"),
                credentials=plain(number, "credentials"),
                title=plain(number, "profession"),
                licensing_body=plain(number, "licensor"),
                licence_number=plain(number, "licence"),
                bio=markdown(number, "bio"),
            ),
            intro=markdown(number, "intro"),
            expert_take=markdown(number, "experttake"),
            # Above what its (absent) claims support, so readers see the reason.
            evidence_grade="strong",
            grade_override_reason=plain(number, "gradereason"),
            featured=number < 3,
        )
        page = Page.objects.create(
            title=plain(number, "pagetitle"),
            slug=f"xss-page-{number}",
            description=plain(number, "pagedescription"),
            body=markdown(number, "pagebody"),
            for_subscribers=number == 0,  # the newsletter form offers this one
        )
        paths |= {
            guide.get_absolute_url(),
            guide.category.get_absolute_url(),
            guide.reviewer.get_absolute_url(),
            page.get_absolute_url(),
            product.get_absolute_url(),
            study.get_absolute_url(),
            claim.get_absolute_url(),
            f"{reverse('readers:search')}?q=xss{number:03d}",
        }
    guide_list, study_list = reverse("guides:guide_list"), reverse("evidence:study_list")
    paths |= {f"{guide_list}?page={n}" for n in range(1, ceil((len(PAYLOADS) + 1) / GUIDES_PER_PAGE) + 1)}
    paths |= {f"{study_list}?page={n}" for n in range(1, ceil(len(PAYLOADS) / STUDIES_PER_PAGE) + 1)}
    paths |= {reverse("readers:home"), reverse("readers:newsletter_signup")}
    return sorted(paths)


READER_FIELDS = [
    "disclaimer",
    "brand",
    "product",
    "serving",
    "seal",
    "merchant",
    "studytitle",
    "authors",
    "journal",
    "finding",
    "studysummary",
    "population",
    "dose",
    "duration",
    "outcome",
    "claim",
    "claimsummary",
    "claimreason",
    "stancenote",
    "benefit",
    "benefittext",
    "award",
    "verdict",
    "heading",
    "body",
    "complaint",
    "answer",
    "warning",
    "question",
    "faq",
    "guidetitle",
    "category",
    "reviewer",
    "credentials",
    "profession",
    "licensor",
    "licence",
    "bio",
    "intro",
    "experttake",
    "gradereason",
    "pagetitle",
    "pagedescription",
    "pagebody",
]


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
