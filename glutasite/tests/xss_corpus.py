"""The XSS corpus and checker the cross-site scripting tests share (test_xss.py, browser/test_xss_browser.py).

Every payload in xss_payloads.txt, stored with a marker ("xss017 title" for payload 17 in a title), in every
text field editors or readers fill in; and a parser that finds what a browser would run in a page.
"""

import json
import re
from datetime import date
from html.parser import HTMLParser
from math import ceil
from pathlib import Path

from django.urls import reverse

from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory
from evidence.views import STUDIES_PER_PAGE
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
from readers.models import Page


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
