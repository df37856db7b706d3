"""A reader on a 360 × 740 phone: no page scrolls sideways, the comparison shows what matters first,
citations count up as the reader meets them, and the safety warnings are one tap from the top."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from glutasite.tests.pages import reader_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
GUIDE = "/guides/l-glutamine-for-gut-health/"

# Each citation's number, whether it sits right after another citation (nothing but spaces or our
# comma between them), and whether anything draws a comma in front of it with CSS.
CITATION_NUMBERS = """() => Array.from(document.querySelectorAll('main sup.citation')).map(sup => {
  let node = sup.previousSibling;
  while (node && ((node.nodeType === Node.TEXT_NODE && !node.textContent.trim())
                  || (node.nodeType === Node.ELEMENT_NODE && node.matches('sup.citation-separator')))) {
    node = node.previousSibling;
  }
  return {
    number: Number(sup.querySelector('a').getAttribute('href').replace('#ref-', '')),
    follows: !!(node && node.nodeType === Node.ELEMENT_NODE && node.matches('sup.citation')),
    before: getComputedStyle(sup, '::before').content,
  };
})"""
SEPARATORS_OUT_OF_PLACE = """() => Array.from(document.querySelectorAll('main sup.citation-separator'))
  .filter(comma => {
    const before = comma.previousSibling, after = comma.nextSibling;
    return !(before?.matches?.('sup.citation') && after?.matches?.('sup.citation'));
  }).length"""


@pytest.fixture
def phone(transactional_db, live_server, page):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size(PHONE)
    return page


def test_no_reader_page_scrolls_sideways_on_a_phone(phone, live_server, screenshot):
    wide = {}
    for name, path in reader_pages().items():
        phone.goto(live_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
        screenshot(f"phone-{name.replace(' ', '-')}-360")
    assert wide == {}


def test_the_comparison_shows_price_per_serving_and_score_of_the_first_row_without_scrolling_it(phone, live_server):
    phone.goto(live_server.url + GUIDE)
    table = phone.locator(".table-scroll")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert table.evaluate("element => element.scrollLeft") == 0
    assert table.evaluate("element => element.scrollWidth > element.clientWidth")  # more columns wait to the right
    expect(phone.locator(".scroll-hint")).to_be_visible()
    product = phone.locator(".comparison tbody tr").first.locator("th")
    for cell in [
        phone.locator(".comparison tbody tr").first.locator(selector) for selector in (".per-serving", ".score")
    ]:
        expect(cell).to_be_visible()
        cell_box = cell.bounding_box()
        assert cell_box["x"] >= product.bounding_box()["x"] + product.bounding_box()["width"] - 1  # not under it
        assert cell_box["x"] + cell_box["width"] <= box["x"] + box["width"]  # inside the table's visible part
        assert cell_box["x"] + cell_box["width"] <= PHONE["width"]
    # The product column stays put while the reader swipes to the other columns.
    table.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    assert abs(product.bounding_box()["x"] - box["x"]) < 2


def test_citation_numbers_count_up_in_the_order_a_reader_meets_them(phone, live_server):
    for path in [GUIDE, "/guides/l-glutamine-and-leaky-gut/", "/guides/vitamin-d3-supplements/"]:
        phone.goto(live_server.url + path)
        citations = phone.evaluate(CITATION_NUMBERS)
        assert citations, path
        numbers = [c["number"] for c in citations]
        first_seen = list(dict.fromkeys(numbers))
        assert first_seen == list(range(1, len(first_seen) + 1)), (path, numbers)
        for previous, current in zip(citations, citations[1:], strict=False):
            if current["follows"]:  # side by side: ascending
                assert current["number"] > previous["number"], (path, numbers)
        assert {c["before"] for c in citations} == {"none"}  # no comma drawn before a citation after text
        assert phone.evaluate(SEPARATORS_OUT_OF_PLACE) == 0  # commas only between two citations


def test_safety_warnings_and_every_block_are_one_tap_from_the_top(phone, live_server):
    phone.goto(live_server.url + GUIDE)
    phone.get_by_role("link", name="All safety warnings and interactions").click()
    expect(phone.locator("#safety")).to_be_in_viewport()
    phone.goto(live_server.url + GUIDE)
    phone.locator(".toc summary").click()
    phone.locator(".toc").get_by_role("link", name="Frequently asked questions").click()
    expect(phone.locator("#faq")).to_be_in_viewport()


def test_product_page_chart_labels_are_readable_and_offers_end_without_a_double_rule(phone, live_server):
    phone.goto(live_server.url + "/products/northfield-labs-l-glutamine-powder/")
    sizes = phone.locator(".chart-y span, .chart-x span").evaluate_all(
        "spans => spans.map(span => parseFloat(getComputedStyle(span).fontSize))",
    )
    assert sizes
    assert min(sizes) >= 12
    last_offer = phone.locator(".offers li").last
    assert last_offer.evaluate("li => getComputedStyle(li).borderBottomWidth") == "0px"
    photo = phone.locator("img.product-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
