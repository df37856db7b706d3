import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from glutasite.tests.pages import reader_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
def test_reader_pages_have_no_accessibility_violations_of_any_impact(
    transactional_db, live_server, page, width, height
):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": width, "height": height})
    axe = Axe()
    found = {}
    for name, path in reader_pages().items():
        page.goto(live_server.url + path)
        found[name] = [describe(v) for v in axe.run(page).response["violations"]]
    assert found == {name: [] for name in found}


def describe(violation):
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {len(violation['nodes'])} element(s)"
