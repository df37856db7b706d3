"""Every kind of notification reaches the people it is for, and no one else, from the event that makes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evidence.signals import retraction_recorded
from guides import workflow
from guides.models import Guide
from guides.tests.factories import RankedProductFactory, ready_guide
from notifications.kinds import KINDS
from notifications.models import Notification
from notifications.sending import notify_due_soon
from products.signals import merchant_feed_failing, offer_link_broken
from products.tests.factories import OfferFactory
from readers.models import CorrectionRequest

pytestmark = pytest.mark.django_db


def told(kind):
    """username -> title of each `kind` notification."""
    return {n.recipient.username: n.title for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def guide_for(team, **fields):
    """A guide the editor started, naming the reviewer's profile."""
    guide = ready_guide(reviewer=team["reviewer"].reviewer_profile, **fields)
    Guide.objects.filter(pk=guide.pk).update(started_by=team["editor"])
    guide.refresh_from_db()
    return guide


def test_sent_to_review_tells_the_guides_reviewer(team):
    guide = guide_for(team, title="Zinc")
    workflow.submit_for_review(guide=guide, user=team["editor"])
    assert told("sent_to_review") == {"dana": "Erin sent “Zinc” to review"}


def test_sent_to_review_tells_every_reviewer_when_the_guide_names_none_with_a_login(team):
    guide = ready_guide(title="Zinc")
    workflow.submit_for_review(guide=guide, user=team["editor"])
    assert set(told("sent_to_review")) == {"dana", "sam"}


def test_signed_off_tells_whoever_sent_it_to_review(team, person):
    guide = guide_for(team, title="Zinc")
    colleague = person("cole", "Editors")
    workflow.submit_for_review(guide=guide, user=colleague)
    workflow.sign_off(guide=guide, user=team["reviewer"])
    assert told("signed_off") == {"cole": "Dana signed off “Zinc”", "erin": "Dana signed off “Zinc”"}


def test_changes_requested_tells_the_author_with_the_comment(team):
    guide = guide_for(team, title="Zinc")
    workflow.submit_for_review(guide=guide, user=team["editor"])
    workflow.request_changes(guide=guide, user=team["reviewer"], comment="Cite the trial for the dose.")
    notification = Notification.objects.get(kind="changes_requested")
    assert notification.recipient == team["editor"]
    assert notification.title == "Dana asked for changes to “Zinc”"
    assert notification.body == "Cite the trial for the dose."


def test_published_tells_the_author_and_the_reviewer_who_signed_off(team, person):
    guide = guide_for(team, title="Zinc")
    workflow.submit_for_review(guide=guide, user=team["editor"])
    workflow.sign_off(guide=guide, user=team["reviewer"])
    publisher = person("pat", "Editors")
    workflow.publish(guide=guide, user=publisher, change_note="")
    assert told("published") == {"erin": "Pat published “Zinc”", "dana": "Pat published “Zinc”"}


def test_a_scheduled_publication_says_when(team):
    guide = guide_for(team, title="Zinc")
    workflow.submit_for_review(guide=guide, user=team["editor"])
    workflow.sign_off(guide=guide, user=team["reviewer"])
    workflow.publish(guide=guide, user=team["editor"], go_live_at=timezone.now() + timedelta(days=2))
    assert told("published")["dana"].startswith("Erin scheduled “Zinc” for ")


def test_assigned_tells_the_assignee_but_not_someone_who_takes_it_themselves(team):
    guide = guide_for(team, title="Zinc")
    workflow.assign(guide=guide, user=team["editor"], assignee=team["reviewer"], due_on=timezone.localdate())
    workflow.assign(guide=guide, user=team["editor"], assignee=team["editor"])
    assert list(told("assigned")) == ["dana"]


def test_due_soon_tells_the_assignee_once(team):
    guide = guide_for(team, title="Zinc")
    workflow.assign(
        guide=guide,
        user=team["editor"],
        assignee=team["reviewer"],
        due_on=timezone.localdate() + timedelta(days=1),
    )
    assert notify_due_soon() == 1
    assert notify_due_soon() == 0
    assert told("due_soon") == {"dana": "“Zinc” is due tomorrow"}
    assert notify_due_soon(at=timezone.now() + timedelta(days=5)) == 0  # overdue by then: the dashboard says so


def test_a_retracted_cited_study_tells_editors_and_the_guides_reviewer(team):
    guide = guide_for(team, title="Zinc")
    study = guide.key_benefits.get().claim.claim_studies.first().study
    retraction_recorded.send(sender=None, study=study, nature="retraction", notice_url="https://example.com/notice")
    retraction_recorded.send(sender=None, study=study, nature="retraction", notice_url="https://example.com/notice")
    assert set(told("study_retracted")) == {"erin", "dana"}
    assert Notification.objects.filter(kind="study_retracted", recipient=team["editor"]).count() == 1
    assert "was retracted" in told("study_retracted")["erin"]


def test_a_retraction_nobody_cites_tells_no_one(team):
    from evidence.tests.factories import StudyFactory

    retraction_recorded.send(sender=None, study=StudyFactory(), nature="retraction", notice_url="")
    assert not Notification.objects.exists()


def test_a_ranked_products_broken_link_tells_who_may_edit_offers(team):
    guide = guide_for(team, title="Zinc")
    offer = guide.ranked_products.get().product.offers.get()
    offer_link_broken.send(sender=None, offer=offer)
    assert set(told("link_broken")) == {"erin", "priya"}
    assert "is broken" in told("link_broken")["priya"]


def test_a_broken_link_of_a_product_no_guide_ranks_tells_no_one(team):
    offer_link_broken.send(sender=None, offer=OfferFactory())
    assert not Notification.objects.exists()


def test_a_failing_feed_of_a_ranked_products_merchant_tells_who_may_edit_offers(team):
    guide = guide_for(team, title="Zinc")
    merchant = guide.ranked_products.get().product.offers.get().merchant
    merchant_feed_failing.send(sender=None, merchant=merchant, error="The feed answered 500 twice.")
    assert set(told("feed_failing")) == {"erin", "priya"}
    assert "The feed answered 500 twice." in Notification.objects.filter(kind="feed_failing").first().body


def test_a_readers_error_report_tells_editors_and_who_has_the_guide(team):
    guide = guide_for(team, title="Zinc")
    workflow.assign(guide=guide, user=team["editor"], assignee=team["reviewer"])
    CorrectionRequest.objects.create(guide=guide, location="Dosage", description="It says 50 g.")
    assert told("error_reported") == {
        "erin": "A reader reported an error in “Zinc” (Dosage)",
        "dana": "A reader reported an error in “Zinc” (Dosage)",
    }


def test_a_kind_turned_off_is_not_written(team):
    from notifications.models import NotificationSettings

    NotificationSettings.objects.create(user=team["reviewer"], muted_kinds=["sent_to_review"])
    workflow.submit_for_review(guide=guide_for(team), user=team["editor"])
    assert not Notification.objects.filter(kind="sent_to_review").exists()


def test_every_kind_is_tested_here():
    tested = {"sent_to_review", "signed_off", "changes_requested", "published", "assigned", "due_soon"}
    tested |= {"study_retracted", "link_broken", "feed_failing", "error_reported"}
    assert {kind.key for kind in KINDS} == tested


def test_a_second_ranked_product_does_not_tell_twice(team):
    guide = guide_for(team)
    ranked = RankedProductFactory(guide=guide, rank=2)
    OfferFactory(product=ranked.product)
    offer_link_broken.send(sender=None, offer=ranked.product.offers.get())
    assert Notification.objects.filter(recipient=team["editor"]).count() == 1
