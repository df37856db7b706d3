from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guides import checks, revisions, workflow
from guides.models import Guide, SiteSettings
from guides.tests.factories import (
    GuideFactory,
    KeyBenefitFactory,
    RankedProductFactory,
    publish_now,
    ready_guide,
)
from products.tests.factories import OfferFactory
from readers.models import CorrectionRequest

pytestmark = pytest.mark.django_db


# --- The publish gate --------------------------------------------------------------


def make_retracted_citation(guide):
    study = guide.key_benefits.get().claim.claim_studies.first().study
    study.retracted = True
    study.retracted_on = timezone.localdate()
    study.save()


GATE_CASES = {
    "reviewer without licence": (
        lambda g: g.reviewer.__class__.objects.filter(pk=g.reviewer_id).update(licence_number=""),
        "has no licence number on file",
        True,
    ),
    "unresolved citation marker": (
        lambda g: g.__class__.objects.filter(pk=g.pk).update(intro_html="<p>See [@pmid:99999999].</p>"),
        "Citation markers match no study: [@pmid:99999999]",
        True,
    ),
    "key benefit without citation": (
        lambda g: KeyBenefitFactory(guide=g, title="Better sleep", claim=None),
        "The key benefit “Better sleep” cites no study.",
        True,
    ),
    "retracted study": (make_retracted_citation, "has been retracted", True),
    "ranked product without a fresh offer": (
        lambda g: g.ranked_products.get().product.offers.update(price_checked_at=timezone.now() - timedelta(days=3)),
        "has no in-stock offer with a fresh price",
        False,
    ),
    "ranked product out of stock": (
        lambda g: g.ranked_products.get().product.offers.update(in_stock=False),
        "has no in-stock offer with a fresh price",
        False,
    ),
    "missing intro": (lambda g: g.__class__.objects.filter(pk=g.pk).update(intro=""), "The guide has no intro.", False),
    "missing disclaimer": (
        lambda g: SiteSettings.objects.update(medical_disclaimer=""),
        "medical disclaimer is empty",
        True,
    ),
    "grade above the claims": (
        lambda g: g.__class__.objects.filter(pk=g.pk).update(evidence_grade="strong", grade_override_reason=""),
        "higher than the key benefits' claims support",
        True,
    ),
}


@pytest.mark.parametrize("case", GATE_CASES)
def test_each_gate_check_names_the_problem(case):
    guide = ready_guide()
    break_it, message, blocking = GATE_CASES[case]
    break_it(guide)
    guide = Guide.objects.get(pk=guide.pk)
    failing = [check for check in checks.publish_checks(guide) if message in check.message]
    assert failing, [check.message for check in checks.publish_checks(guide)]
    assert failing[0].blocking is blocking


@pytest.mark.parametrize("size", [1, 10])
def test_gate_query_count_does_not_grow_with_the_guide(django_assert_max_num_queries, size):
    guide = ready_guide()
    for rank in range(2, size + 1):
        OfferFactory(product=RankedProductFactory(guide=guide, rank=rank).product)
        KeyBenefitFactory(guide=guide, claim=guide.key_benefits.first().claim, text="Helps [@pmid:99999999].")
    guide = Guide.objects.get(pk=guide.pk)
    with django_assert_max_num_queries(16):  # 15 when the text has no marker to look up
        checks.publish_checks(guide)


def test_a_ready_guide_fails_only_the_sign_off_check():
    messages = [check.message for check in checks.publish_checks(ready_guide())]
    assert messages == ["No reviewer has signed off the current version."]


def test_blocking_check_cannot_be_overridden(editor_user, reviewer_user):
    guide = ready_guide()
    GATE_CASES["retracted study"][0](guide)
    with pytest.raises(ValidationError, match="has been retracted"):
        publish_now(guide, editor_user, reviewer_user, override_reason="We checked it.")


def test_non_safety_check_needs_a_written_reason_which_is_kept(client, editor_user, reviewer_user):
    guide = ready_guide()
    guide.ranked_products.get().product.offers.update(in_stock=False)
    with pytest.raises(ValidationError, match="Write why you publish over these checks"):
        publish_now(guide, editor_user, reviewer_user)
    revision = workflow.publish(guide=guide, user=editor_user, override_reason="Restock expected tomorrow.")
    assert revision.override_reason == "Restock expected tomorrow."
    assert "has no in-stock offer" in revision.overridden_checks[0]
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_ready_to_publish_panel_lists_failures_while_editing(editor_client):
    guide = ready_guide()
    guide.ranked_products.get().product.offers.update(in_stock=False)
    html = editor_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "Ready to publish?" in html
    assert "No reviewer has signed off the current version." in html
    assert "has no in-stock offer with a fresh price" in html


# --- Review queue -----------------------------------------------------------------------


def test_review_queue_lists_guides_that_need_attention(editor_client, editor_user, reviewer_user):
    in_review = ready_guide(title="Waiting for review")
    workflow.submit_for_review(guide=in_review, user=editor_user)
    stale = ready_guide(title="Stale price guide")
    publish_now(stale, editor_user, reviewer_user)
    stale.ranked_products.get().product.offers.update(price_checked_at=timezone.now() - timedelta(days=2))
    old = GuideFactory(title="Reviewed long ago", last_reviewed_on=timezone.localdate() - timedelta(days=400))
    reported = GuideFactory(title="Reported by a reader")
    CorrectionRequest.objects.create(guide=reported, description="The dose in the FAQ says 50 g.")
    html = editor_client.get(reverse("admin:guides_guide_review_queue")).content.decode()

    def section(key):
        return html.split(f'id="{key}"')[1].split("</section>")[0]

    assert "Reported by a reader" in section("open-reports")
    assert "Has open error reports from readers" in section("open-reports")
    assert "Waiting for review" in section("in-review")
    assert "Stale price guide" in section("stale-price")
    assert old.title in section("review-due")
    assert "Last reviewed more than 12 months ago" in section("review-due")
    assert old.title not in section("cites-retracted")


def test_review_queue_shows_changes_made_since_sign_off(editor_user, reviewer_user):
    guide = ready_guide()
    publish_now(guide, editor_user, reviewer_user)
    assert guide not in Guide.objects.changed_since_sign_off()
    pending = workflow.start_change(guide=guide, user=editor_user)
    Guide.objects.filter(pk=pending.pk).update(intro="Edited after sign-off.")
    pending.refresh_from_db()
    revisions.record_revision(pending, editor_user)
    assert guide in Guide.objects.changed_since_sign_off()
