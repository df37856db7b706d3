import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import claim_with
from guides.models import Guide
from guides.roles import grant_roles
from guides.tests.factories import CategoryFactory, ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-reviewer-passphrase"


@pytest.fixture
def reviewer(transactional_db, django_user_model):
    user = django_user_model.objects.create_user(
        username="dana",
        password=PASSWORD,
        first_name="Dana",
        last_name="Reyes",
        is_staff=True,
    )
    grant_roles(apps)  # other live-server tests flush the groups the migration made
    user.groups.set(Group.objects.filter(name__in=["Editors", "Reviewers"]))
    ReviewerFactory(user=user, name="Dana Reyes", slug="dana-reyes", licence_number="")
    return user


def choose(page, field_id, text):
    """Pick an option in one of the admin's autocomplete (select2) fields."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_reviewer_writes_signs_off_and_publishes_a_guide(reviewer, live_server, page, screenshot):
    CategoryFactory(name="Gut Health", slug="gut-health")
    study = Study.objects.create(
        title="Glutamine and the preservation of gut integrity",
        slug="van-der-hulst-1993",
        authors="van der Hulst RR, van Kreel BK",
        journal="Lancet",
        year=1993,
        pmid="8098788",
        design=Study.Design.RCT,
    )
    claim = claim_with((Study.Design.RCT, ClaimStudy.Stance.SUPPORTS), statement="Glutamine protects the gut lining")
    ClaimStudy.objects.create(claim=claim, study=study, stance=ClaimStudy.Stance.SUPPORTS)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Glutasite editorial").first).to_be_visible()

    page.goto(live_server.url + "/admin/guides/guide/add/")
    page.locator("#id_title").fill("Glutamine after surgery")
    choose(page, "id_category", "Gut Health")
    page.locator("#id_evidence_grade").select_option("limited")
    choose(page, "id_reviewer", "Dana Reyes")
    page.locator("#id_intro").fill("Glutamine kept the gut lining intact after surgery [@pmid:8098788].")
    page.get_by_text("Add another Key benefit").click()
    page.locator("#id_key_benefits-0-title").fill("Protects the gut lining")
    choose(page, "id_key_benefits-0-claim", "Glutamine protects the gut lining")
    page.get_by_text("Add another FAQ").click()
    page.locator("#id_faqs-0-question").fill("How much should I take?")
    page.locator("#id_faqs-0-answer").fill("Studies used 5 to 15 g a day.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # The gate says what is missing, in plain words.
    gate = page.locator(".ready-to-publish")
    expect(gate).to_contain_text("No reviewer has signed off the current version.")
    expect(gate).to_contain_text("The reviewer Dana Reyes has no licence number on file.")
    screenshot("reviewer-gate")

    # Fix the missing licence on the reviewer profile, then come back.
    guide_url = page.url
    page.goto(live_server.url + "/admin/guides/reviewer/")
    page.get_by_role("link", name="Dana Reyes").click()
    page.get_by_label("Licence number:").fill("0012345")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(guide_url)
    expect(gate).not_to_contain_text("licence number")

    page.get_by_role("button", name="Send to review").click()
    expect(page.locator(".messagelist")).to_contain_text("Sent to review.")
    page.get_by_role("button", name=re.compile("Sign off version")).click()
    expect(page.locator(".messagelist")).to_contain_text("Signed off the current version.")
    expect(gate).to_contain_text("Every check passes.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published version")

    guide = Guide.objects.get(slug="glutamine-after-surgery")
    assert guide.status == Guide.Status.PUBLISHED
    page.context.clear_cookies()  # now as a reader
    page.goto(live_server.url + guide.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Glutamine after surgery")
    expect(page.locator("sup.citation").first).to_contain_text("1")
    expect(page.locator("#ref-1")).to_contain_text("Glutamine and the preservation of gut integrity")
    expect(page.get_by_text("How much should I take?")).to_be_visible()
    screenshot("reviewer-published-guide")
