"""An editor's day in Chromium: the review request on the reviewer's dashboard, a request for changes the
editor sees and answers, the sign-off and the publication; with the dashboards' screenshots at 1280 px."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from guides.models import Guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "an-editors-day-passphrase"
GUIDE = "L-Glutamine Before Exercise in the Heat"
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)  # makes the demo's people in their groups, and a guide in review
    for user in get_user_model().objects.filter(username__in=["demo-editor", "demo-reviewer"]):
        user.set_password(PASSWORD)
        user.save()


@pytest.fixture
def signed_in(browser, live_server):
    contexts = []

    def sign_in(username, viewport=WIDE):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def panel(page, title):
    return page.locator("section.panel").filter(has=page.get_by_role("heading", name=title, exact=True))


def shot(page, screenshot_dir, name):
    screenshot_dir.mkdir(exist_ok=True)
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)


def test_review_request_changes_fix_sign_off_and_publish(demo, signed_in, live_server):
    from glutasite.tests.browser.conftest import SCREENSHOTS

    editor = signed_in("demo-editor")
    expect(panel(editor, "Your drafts and pending changes")).to_contain_text(GUIDE)
    shot(editor, SCREENSHOTS, "dashboard-editor-1280")

    # The reviewer finds the request on her dashboard, with its due date and the notification.
    reviewer = signed_in("demo-reviewer")
    waiting = panel(reviewer, "Waiting for your sign-off")
    expect(waiting).to_contain_text(GUIDE)
    expect(waiting).to_contain_text("with you, due")
    expect(panel(reviewer, "Unread notifications")).to_contain_text(f"Erin Ellis sent “{GUIDE}” to review")
    expect(reviewer.locator(".unread-count")).to_have_text("(2 unread)")
    shot(reviewer, SCREENSHOTS, "dashboard-reviewer-1280")

    # She sends it back with a comment.
    waiting.get_by_role("link", name=GUIDE).click()
    expect(reviewer.locator(".workflow-status")).to_contain_text("waiting for a reviewer's sign-off")
    reviewer.get_by_label("What should change (the editor sees this)").fill("Give the trial's dose in grams.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Sent back to the editor with your comment.")

    # The editor sees the comment on the dashboard and on the guide, fixes the text and sends it again.
    editor.reload()
    drafts = panel(editor, "Your drafts and pending changes")
    expect(drafts).to_contain_text("Draft, changes requested")
    expect(drafts).to_contain_text("Give the trial's dose in grams.")
    expect(panel(editor, "Unread notifications")).to_contain_text(f"Dana Reyes asked for changes to “{GUIDE}”")
    drafts.get_by_role("link", name=GUIDE).click()
    expect(editor.locator(".review-request")).to_contain_text("Give the trial's dose in grams.")
    body = editor.locator("#id_sections-0-body")
    body.fill("The trial gave up to **0.9 g per kg** of body weight two hours before running [@pmid:29058112].")
    preview = body.locator("xpath=following-sibling::div[contains(@class, 'markdown-preview')]")
    expect(preview.locator("strong")).to_have_text("0.9 g per kg")
    expect(preview.locator(".preview-references")).to_contain_text("Pugh JN")
    editor.get_by_role("button", name="Save and continue editing").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    editor.get_by_role("button", name="Send to review").click()
    expect(editor.locator(".messagelist")).to_contain_text("Sent to review.")
    expect(editor.locator("#why-publish")).to_have_text("Publishing is blocked: 1 check must be fixed.")

    # The reviewer signs off the new version.
    reviewer.goto(live_server.url + "/admin/")
    panel(reviewer, "Waiting for your sign-off").get_by_role("link", name=GUIDE).click()
    reviewer.get_by_role("button", name=re.compile(r"Sign off version 2")).click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Signed off the current version.")
    expect(reviewer.locator("#why-publish")).to_have_text("Publishing is for Editors.")

    # The editor publishes it from the dashboard.
    editor.goto(live_server.url + "/admin/")
    panel(editor, "Signed off, ready to publish").get_by_role("link", name=GUIDE).click()
    editor.get_by_role("button", name="Publish", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("Published version 2: readers see it now.")
    expect(editor.locator(".workflow-status")).to_contain_text("Published: readers see it since")

    guide = Guide.objects.get(slug="l-glutamine-before-exercise-in-the-heat")
    assert guide.status == Guide.Status.PUBLISHED
    editor.context.clear_cookies()
    editor.goto(live_server.url + guide.get_absolute_url())
    expect(editor.get_by_text("0.9 g per kg")).to_be_visible()


def test_the_guide_page_reads_well_wide_and_on_a_phone(demo, signed_in, live_server):
    from glutasite.tests.browser.conftest import SCREENSHOTS

    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    editor = signed_in("demo-editor")
    editor.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    editor.get_by_role("button", name="Start a change").click()
    expect(editor.locator(".pending-note")).to_contain_text("This is a pending change")
    # A long title never sits under History and View on site.
    title = editor.locator("#content h2").first.bounding_box()
    tools = editor.locator(".object-tools").bounding_box()
    assert title["y"] + title["height"] <= tools["y"] or tools["y"] + tools["height"] <= title["y"]
    shot(editor, SCREENSHOTS, "guide-pending-change-1280")

    editor.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    for name in ["Unpublish"]:
        assert editor.get_by_role("button", name=name).bounding_box()["height"] >= 36
    phone = signed_in("demo-reviewer", viewport={"width": 360, "height": 740})
    phone.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, SCREENSHOTS, "guide-admin-360")
    phone.goto(live_server.url + "/admin/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, SCREENSHOTS, "dashboard-reviewer-360")


def test_the_jobs_page_fits_a_phone_and_a_laptop_with_a_long_error(demo, signed_in, live_server):
    from jobs.models import JobRun

    long_error = "ConnectionError: " + "https://gitlab.com/crossref/retraction-watch-data/-/raw/main/" * 4
    JobRun.objects.create(job="check_retractions", trigger="command", outcome="failed", last_error=long_error)
    for width in (1280, 360):
        page = signed_in("demo-editor", viewport={"width": width, "height": 800})
        page.goto(live_server.url + "/admin/jobs/jobrun/")
        expect(page.locator("#jobs")).to_contain_text("retraction-watch-data")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
