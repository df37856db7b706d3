"""The admin index is a dashboard: what needs the signed-in person now, the team's queues, and quick actions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence.models import Study
from guides import workflow
from guides.models import Guide
from guides.tests.factories import GuideFactory, ready_guide
from jobs.models import JobRun
from notifications.notify import notify
from products.models import MerchantFeed
from products.tests.factories import MerchantFactory, OfferFactory
from readers.models import CorrectionRequest

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def panels(response):
    """Panel key -> the texts of its lines, for the panels this person sees."""
    return {
        filled.panel.key: [line.text for line in filled.lines]
        for filled in response.context["you_panels"] + response.context["team_panels"]
    }


def counts(response):
    queue = next(filled for filled in response.context["team_panels"] if filled.panel.key == "queue")
    return {line.text: line.count for line in queue.lines}


def actions(response):
    return [label for label, _ in response.context["quick_actions"]]


# --- Who sees what ---------------------------------------------------------------------


def test_an_editor_sees_what_to_publish_their_drafts_and_the_team(client, team):
    response = dashboard(client, team["editor"])
    assert list(panels(response)) == [
        "publish",
        "drafts",
        "assigned",
        "notifications",
        "queue",
        "stale-prices",
        "reports",
        "broken-links",
        "failing-feeds",
        "failed-jobs",
        "retractions",
    ]
    assert actions(response) == [
        "Write a new guide",
        "Review queue",
        "Import references",
        "Add studies by identifier",
        "Notification settings",
    ]


def test_a_reviewer_sees_what_waits_for_their_sign_off(client, team):
    response = dashboard(client, team["reviewer"])
    assert list(panels(response)) == [
        "sign-off",
        "drafts",
        "assigned",
        "notifications",
        "queue",
        "stale-prices",
        "reports",
        "retractions",
    ]


def test_a_product_importer_sees_prices_and_the_import_not_guides(client, team):
    response = dashboard(client, team["importer"])
    assert list(panels(response)) == ["notifications", "stale-prices", "broken-links", "failing-feeds", "failed-jobs"]
    assert actions(response) == ["Import products", "Notification settings"]
    html = response.content.decode()
    assert ">Guides<" not in html
    assert ">Products<" in html


def test_staff_without_a_role_are_told_to_ask_for_one(client, person):
    response = dashboard(client, person("newbie"))
    assert list(panels(response)) == ["notifications"]
    assert "Your login has no role yet" in response.content.decode()


def test_the_app_list_puts_guides_first_and_authentication_last(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", None)
    html = dashboard(client, boss).content.decode()
    assert html.index(">Guides<") < html.index(">Evidence library<") < html.index(">Authentication and Authorization<")


# --- What each panel holds ---------------------------------------------------------------


def test_waiting_for_sign_off_holds_the_reviewers_guides_not_another_reviewers(client, team):
    mine = ready_guide(title="Zinc", reviewer=team["reviewer"].reviewer_profile)
    theirs = ready_guide(title="Iron", reviewer=team["other_reviewer"].reviewer_profile)
    for guide in [mine, theirs]:
        workflow.submit_for_review(guide=guide, user=team["editor"])
    assert panels(dashboard(client, team["reviewer"]))["sign-off"] == ["Zinc"]
    workflow.sign_off(guide=mine, user=team["reviewer"])
    assert panels(dashboard(client, team["reviewer"]))["sign-off"] == []
    assert panels(dashboard(client, team["editor"]))["publish"] == ["Zinc"]


def test_a_reviewer_without_a_profile_is_told_why_nothing_waits(client, person):
    response = dashboard(client, person("newreviewer", "Reviewers"))
    assert "Sign-off needs a reviewer profile linked to your login" in response.content.decode()


def test_drafts_hold_what_the_person_started_with_changes_requested_and_the_comment(client, team):
    guide = ready_guide(title="Zinc", reviewer=team["reviewer"].reviewer_profile)
    Guide.objects.filter(pk=guide.pk).update(started_by=team["editor"])
    ready_guide(title="Someone else's")
    workflow.submit_for_review(guide=guide, user=team["editor"])
    workflow.request_changes(guide=guide, user=team["reviewer"], comment="Cite the dose trial.")
    response = dashboard(client, team["editor"])
    drafts = next(filled for filled in response.context["you_panels"] if filled.panel.key == "drafts")
    assert [line.text for line in drafts.lines] == ["Zinc"]
    assert drafts.lines[0].meta == "Draft, changes requested · “Cite the dose trial.”"


def test_assigned_holds_guides_with_their_due_dates_and_marks_the_overdue(client, team):
    late = GuideFactory(title="Late", status=Guide.Status.DRAFT, published_at=None)
    soon = GuideFactory(title="Soon", status=Guide.Status.DRAFT, published_at=None)
    today = timezone.localdate()
    workflow.assign(guide=soon, user=team["editor"], assignee=team["reviewer"], due_on=today + timedelta(days=2))
    workflow.assign(guide=late, user=team["editor"], assignee=team["reviewer"], due_on=today - timedelta(days=1))
    response = dashboard(client, team["reviewer"])
    assigned = next(filled for filled in response.context["you_panels"] if filled.panel.key == "assigned")
    assert [(line.text, line.warn) for line in assigned.lines] == [("Late", True), ("Soon", False)]
    assert "(overdue)" in assigned.lines[0].meta
    assert counts(dashboard(client, team["editor"]))["Past its due date"] == 1


def test_the_review_queue_counts_each_reason_and_links_its_list(client, team):
    workflow.submit_for_review(guide=ready_guide(), user=team["editor"])
    reported = GuideFactory()
    CorrectionRequest.objects.create(guide=reported, description="Wrong dose.")
    response = dashboard(client, team["editor"])
    assert counts(response)["In review"] == 1
    assert counts(response)["Has open error reports from readers"] == 1
    html = response.content.decode()
    assert f'href="{reverse("admin:guides_guide_review_queue")}?reason=in-review"' in html
    assert panels(response)["reports"] == [f"“{reported}”"]


def test_stale_prices_count_offers_readers_cannot_see_and_name_ranked_ones(client, team):
    guide = ready_guide(title="Zinc")
    guide.status = Guide.Status.PUBLISHED
    guide.save()
    offer = guide.ranked_products.get().product.offers.get()
    offer.price_checked_at = timezone.now() - timedelta(days=3)
    offer.save()
    OfferFactory(price_checked_at=timezone.now() - timedelta(days=3))
    lines = panels(dashboard(client, team["importer"]))["stale-prices"]
    assert lines == ["Offers with a stale price, hidden from readers", str(offer)]


def test_retracted_studies_that_guides_cite(client, team):
    guide = ready_guide()
    study = guide.key_benefits.get().claim.claim_studies.first().study
    Study.objects.filter(pk=study.pk).update(retracted=True, retracted_on=timezone.localdate())
    assert panels(dashboard(client, team["editor"]))["retractions"] == [study.title]


def test_broken_links_name_the_hidden_offers(client, team):
    broken = OfferFactory(link_broken_since=timezone.now() - timedelta(days=1))
    OfferFactory()
    assert panels(dashboard(client, team["importer"]))["broken-links"] == [str(broken)]


def test_failing_feeds_name_the_merchant_after_two_failures(client, team):
    failing = MerchantFeed.objects.create(
        merchant=OfferFactory().merchant,
        url="https://feeds.example.com/a.tsv",
        failures_in_a_row=2,
        last_error="The feed answered HTTP 404 Not Found.",
    )
    MerchantFeed.objects.create(
        merchant=MerchantFactory(name="iHerb"),
        url="https://feeds.example.com/b.tsv",
        failures_in_a_row=1,
    )
    assert panels(dashboard(client, team["editor"]))["failing-feeds"] == [str(failing.merchant)]


def test_failed_jobs_list_jobs_whose_last_run_failed(client, team):
    JobRun.objects.create(job="check_links", trigger=JobRun.Trigger.SCHEDULE, outcome=JobRun.Outcome.FAILED)
    JobRun.objects.create(job="fetch_prices", trigger=JobRun.Trigger.SCHEDULE, outcome=JobRun.Outcome.FAILED)
    JobRun.objects.create(job="fetch_prices", trigger=JobRun.Trigger.COMMAND, outcome=JobRun.Outcome.SUCCEEDED)
    assert panels(dashboard(client, team["editor"]))["failed-jobs"] == ["check links"]


def test_unread_notifications_link_to_what_they_are_about(client, team):
    notify("signed_off", [team["editor"]], title="Dana signed off “Zinc”", url="/admin/guides/guide/")
    response = dashboard(client, team["editor"])
    assert panels(response)["notifications"] == ["Dana signed off “Zinc”"]


# --- Its cost does not grow with the content ---------------------------------------------


def a_busy_site(team, size):
    for number in range(size):
        guide = ready_guide(title=f"Guide {number}", reviewer=team["reviewer"].reviewer_profile)
        Guide.objects.filter(pk=guide.pk).update(started_by=team["editor"])
        workflow.submit_for_review(guide=guide, user=team["editor"])
        workflow.assign(guide=guide, user=team["editor"], assignee=team["reviewer"], due_on=timezone.localdate())
        CorrectionRequest.objects.create(guide=guide, description="Wrong.")
        offer = guide.ranked_products.get().product.offers.get()
        offer.price_checked_at = timezone.now() - timedelta(days=3)
        offer.save()


@pytest.mark.parametrize("role", ["editor", "reviewer", "importer"])
def test_the_dashboards_queries_do_not_grow_with_the_guides(client, team, role, django_assert_max_num_queries):
    a_busy_site(team, 2)
    client.force_login(team[role])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
    a_busy_site(team, 15)
    with django_assert_max_num_queries(len(few)), CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:index"))
    assert len(many) == len(few)
    assert len(many) <= 30


def test_editors_and_readers_text_stays_inert_on_the_dashboard_and_notifications(client, team):
    from glutasite.tests.xss_corpus import PAYLOADS, executable_markup

    for number, payload in enumerate(PAYLOADS[:40]):
        guide = ready_guide(title=payload[:200], reviewer=team["reviewer"].reviewer_profile)
        Guide.objects.filter(pk=guide.pk).update(started_by=team["editor"])
        workflow.submit_for_review(guide=guide, user=team["editor"])
        workflow.assign(guide=guide, user=team["editor"], assignee=team["reviewer"], note=payload)
        if number % 2:
            workflow.request_changes(guide=guide, user=team["reviewer"], comment=payload)
        CorrectionRequest.objects.create(guide=guide, location=payload[:200], description=payload)
    for user in [team["editor"], team["reviewer"]]:
        client.force_login(user)
        for path in [reverse("admin:index"), reverse("admin:notifications")]:
            assert executable_markup(client.get(path).content.decode(), admin=True) == [], (user, path)
