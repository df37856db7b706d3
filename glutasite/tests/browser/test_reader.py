import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from products.models import AffiliateClick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE_PATH = "/guides/l-glutamine-for-gut-health/"
# Headless Chromium says so in its user agent, and /go/ does not count bots.
DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "user_agent": DESKTOP_CHROME}


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
def test_reader_follows_a_guide_to_its_evidence_and_a_shop(demo, live_server, page, screenshot, width, height):
    # The shop is outside this machine: keep what /go/ answered, not where the tab ends up.
    go_responses = []
    page.context.on("response", lambda response: "/go/" in response.url and go_responses.append(response))
    page.set_viewport_size({"width": width, "height": height})

    page.goto(live_server.url + "/")
    screenshot(f"reader-home-{width}")
    page.get_by_role("link", name=re.compile("L-Glutamine for Gut Health")).first.click()
    expect(page).to_have_url(live_server.url + GUIDE_PATH)
    expect(page.get_by_role("heading", level=1)).to_contain_text("L-Glutamine for Gut Health")
    expect(page.get_by_role("alert")).to_contain_text("Cancer")
    # The page never scrolls sideways: the comparison table scrolls in its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"reader-guide-{width}")

    # A citation number leads to its entry in the reference list, and back.
    citation = page.locator("sup.citation a").first
    number = citation.inner_text().strip().split()[-1]
    citation.click()
    expect(page).to_have_url(re.compile(rf"#ref-{number}$"))
    reference = page.locator(f"#ref-{number}")
    expect(reference).to_be_in_viewport()
    expect(reference.get_by_role("link", name="PubMed")).to_have_attribute(
        "href", re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/\d+/")
    )

    # The product page, then the shop through /go/, which counts the click.
    # The at-a-glance box and the comparison name the #1 pick too, but link to its place on the page.
    page.locator("#product-1 h3").get_by_role("link", name="Northfield Labs L-Glutamine Powder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield Labs L-Glutamine Powder")
    expect(page.get_by_text("Price checked").first).to_be_visible()
    screenshot(f"reader-product-{width}")
    clicks_before = AffiliateClick.objects.count()
    shop_link = page.get_by_role("link", name=re.compile("Check price at")).first
    expect(shop_link).to_have_attribute("href", re.compile(r"^/go/"))
    expect(shop_link).to_have_attribute("rel", "sponsored noopener")
    with page.context.expect_page() as new_tab:
        shop_link.click()
    new_tab.value.wait_for_load_state()
    assert go_responses[0].status == 302
    assert "/demo/shop/DEMO-NFL-GLN-500/" in go_responses[0].headers["location"]  # the demo's shop pages
    assert AffiliateClick.objects.count() == clicks_before + 1
