import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from evidence.models import Study
from products.models import Product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


def reader_pages():
    """Every kind of reader page, as paths on the demo content."""
    return {
        "home": "/",
        "guide": "/guides/l-glutamine-for-gut-health/",
        "reviewer": "/reviewers/dana-reyes/",
        "product": Product.objects.order_by("sku").first().get_absolute_url(),
        "study": Study.objects.order_by("pk").first().get_absolute_url(),
    }


def test_reader_pages_have_no_serious_accessibility_violations(transactional_db, live_server, page):
    call_command("seed_demo", verbosity=0)
    axe = Axe()
    found = {}
    for name, path in reader_pages().items():
        page.goto(live_server.url + path)
        violations = axe.run(page).response["violations"]
        found[name] = [
            f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)"
            for v in violations
            if v["impact"] in BLOCKING_IMPACTS
        ]
    assert found == {name: [] for name in found}
