"""The XSS corpus in Chromium: pages full of payloads open without a dialog and without an element
or handler the payloads tried to add.

The pages are loaded with the Content-Security-Policy bypassed. The policy would stop injected inline
script by itself, and so hide a failure of escaping and sanitising, which is what this test is about;
glutasite/tests/test_security_headers.py checks the policy. Requests to any host but the live server
are refused and listed: an injected element loading something from elsewhere fails the test too.
"""

import re
from urllib.parse import urlsplit

import pytest

from evidence.models import Claim
from glutasite.tests.xss_corpus import PAYLOADS, every_field_with_every_payload, plain
from guides.models import Guide, Section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(bypass_csp=True),
]

# Everything on the page that could run script, as short descriptions; the reader site runs no
# script of its own, so any script element but JSON-LD, and any handler, was injected.
FIND_INJECTED = """() => {
  const found = [];
  const ours = 'form.site-search, form.search-form, form.reader-form, form.study-filters';
  const urls = new Set(['href', 'src', 'action', 'formaction', 'data', 'poster', 'srcset', 'background']);
  for (const element of document.querySelectorAll('*')) {
    const name = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (attribute.localName.startsWith('on')) found.push(`${name} with ${attribute.name}`);
      if (urls.has(attribute.localName) && /^(javascript|vbscript|data):/.test(value)) {
        found.push(`${name} with ${attribute.name}=${attribute.value}`);
      }
    }
    if (name === 'script' && element.type !== 'application/ld+json') found.push('script');
    if (['iframe', 'frame', 'object', 'embed', 'base', 'math', 'style', 'noscript', 'template'].includes(name)) {
      found.push(name);
    }
    if (name === 'meta' && element.hasAttribute('http-equiv')) found.push('meta http-equiv');
    if (name === 'form' && !element.matches(ours)) found.push('form');
    if (name === 'svg' && !element.closest('figure.price-chart')) found.push('svg');
  }
  for (const link of document.links) {
    if (['javascript:', 'data:', 'vbscript:'].includes(link.protocol)) found.push(`link to ${link.protocol}`);
  }
  return found;
}"""


@pytest.fixture
def watched(page, live_server):
    """The page, with every dialog and every request to another host written down."""
    seen = {"dialogs": [], "foreign requests": []}

    def on_dialog(dialog):
        seen["dialogs"].append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    def route(request_route):
        if urlsplit(request_route.request.url).netloc == urlsplit(live_server.url).netloc:
            request_route.continue_()
        else:
            seen["foreign requests"].append(request_route.request.url)
            request_route.abort()

    page.on("dialog", on_dialog)
    page.route("**/*", route)
    return page, seen


def injected_after_load(page):
    # Handlers such as onerror fire once their failed requests come back.
    page.wait_for_load_state("networkidle")
    return page.evaluate(FIND_INJECTED)


def test_the_browser_checks_catch_injected_markup(watched):
    page, seen = watched
    page.set_content('<img src="/missing.png" onerror="alert(1)"><a href=" javascript:alert(2)">x</a>')
    assert injected_after_load(page) == ["img with onerror", "a with href= javascript:alert(2)", "link to javascript:"]
    assert [dialog.split(" on ")[0] for dialog in seen["dialogs"]] == ["alert: 1"]


def test_pages_full_of_payloads_run_nothing_in_chromium(transactional_db, live_server, watched):
    page, seen = watched
    every_field_with_every_payload()
    claim = Claim.objects.get(statement=plain(10, "claim"))
    found = {}
    for path in [
        Guide.objects.get(slug="every-part").get_absolute_url(),  # every payload in every part of a guide
        "/",
        "/guides/",
        "/evidence/",
        claim.get_absolute_url(),
    ]:
        page.goto(live_server.url + path)
        found[path] = injected_after_load(page)
        if path.startswith("/guides/every-part"):
            # The payloads are there, shown as the text editors typed.
            headings = page.locator("section[aria-labelledby^=section-] h2").all_inner_texts()
            stored = Section.objects.order_by("order", "pk").values_list("heading", flat=True)
            assert [" ".join(text.split()) for text in headings] == [" ".join(text.split()) for text in stored]

    # Readers type payloads into the forms, past the browser's own checks of email and web addresses.
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search guides, products and studies").fill(PAYLOADS[0])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    found["search"] = injected_after_load(page)
    assert page.locator("#search-q").input_value() == PAYLOADS[0]

    page.goto(f"{live_server.url}/guides/{Guide.objects.filter(slug__startswith='guide-').first().slug}/report/")
    form = page.locator("form.reader-form")
    form.evaluate("form => { form.noValidate = true; }")
    fields = ["Where is the error?", "What is wrong", "A source for the correction", "Your email address"]
    payloads = [PAYLOADS[9], PAYLOADS[41], PAYLOADS[35], PAYLOADS[50]]
    for label, payload in zip(fields, payloads, strict=True):
        page.get_by_label(label).fill(payload)
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    found["report form, shown again"] = injected_after_load(page)
    assert page.get_by_label("A source for the correction").input_value() == PAYLOADS[35]

    page.goto(live_server.url + "/newsletter/")
    page.locator("form.reader-form").evaluate("form => { form.noValidate = true; }")
    page.get_by_label("Your email address").fill(PAYLOADS[49])
    page.get_by_role("button", name="Send me the free guide").click()
    page.wait_for_load_state()
    found["newsletter form, shown again"] = injected_after_load(page)

    assert seen == {"dialogs": [], "foreign requests": []}
    assert found == {name: [] for name in found}
