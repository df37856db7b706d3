import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE_PATH = "/guides/l-glutamine-for-gut-health/"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
def test_reader_goes_from_home_to_a_guide_and_a_product(demo, live_server, page, screenshot, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/")
    screenshot(f"reader-home-{width}")
    page.get_by_role("link", name="L-Glutamine for Gut Health").click()
    expect(page).to_have_url(live_server.url + GUIDE_PATH)
    expect(page.get_by_role("heading", level=1)).to_contain_text("L-Glutamine for Gut Health")
    expect(page.get_by_role("alert")).to_contain_text("Cancer")
    # The page never scrolls sideways: the comparison table scrolls in its own box.
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width
    screenshot(f"reader-guide-{width}")
    page.get_by_role("link", name="Northfield Labs L-Glutamine Powder").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield Labs L-Glutamine Powder")
    expect(page.get_by_text("Price checked")).not_to_have_count(0)
    screenshot(f"reader-product-{width}")
