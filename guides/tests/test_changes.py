"""The history's diff and the suggested note for readers speak editors' words, never ids or codes."""

import re

import pytest
from django.urls import reverse

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import claim_with
from guides import changes, revisions, workflow
from guides.models import SafetyWarning
from guides.tests.factories import (
    CategoryFactory,
    RankedProductFactory,
    ReviewerFactory,
    SafetyWarningFactory,
    publish_now,
    ready_guide,
)
from products.tests.factories import BrandFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db


def product(name):
    made = ProductFactory(name=name, brand=BrandFactory(name="Northfield"))
    OfferFactory(product=made)
    return made


def test_the_diff_names_products_grades_reviewers_and_parts(editor_client, editor):
    guide = ready_guide(evidence_grade="limited", category=CategoryFactory(name="Gut Health"))
    first = guide.ranked_products.get()
    first.product = product("Glutamine Powder")
    first.save()
    SafetyWarningFactory(guide=guide, severity=SafetyWarning.Severity.CAUTION, text="Ask your doctor.")
    revisions.record_revision(guide, editor)

    guide.evidence_grade = "moderate"
    guide.reviewer = ReviewerFactory(name="Sam Okafor", credentials="MD")
    guide.save()
    first.product = product("Glutamine Capsules")
    first.save()
    guide.safety_warnings.update(severity=SafetyWarning.Severity.CRITICAL)
    RankedProductFactory(guide=guide, rank=2, product=product("Gut Blend"))
    revision = revisions.record_revision(guide, editor)

    html = editor_client.get(reverse("admin:guides_guide_revision", args=[guide.pk, revision.number])).content.decode()
    assert "-Limited evidence" in html
    assert "+Moderate evidence" in html
    assert "+Sam Okafor, MD" in html
    assert "Ranked product 1 (Northfield Glutamine Capsules)" in html
    assert "-Product: Northfield Glutamine Powder" in html
    assert "+Product: Northfield Glutamine Capsules" in html
    assert "Ranked product 2 (Northfield Gut Blend), added" in html
    assert "-Severity: Caution" in html
    assert "+Severity: Critical" in html
    assert not re.search(r"Product: \d", html)
    assert "product:" not in html


def test_a_key_benefit_and_a_reference_are_named_by_their_claim_and_study(editor):
    guide = ready_guide()
    before = revisions.snapshot(guide)
    benefit = guide.key_benefits.get()
    benefit.claim = claim_with((Study.Design.RCT, ClaimStudy.Stance.SUPPORTS), statement="Glutamine calms the gut")
    benefit.save()
    lines = [line for _, diff in changes.diff(before, revisions.snapshot(guide)) for line in diff]
    assert "+Claim: Glutamine calms the gut" in lines


def test_the_suggested_note_names_grades_by_their_labels(editor_user, reviewer_user):
    guide = ready_guide(evidence_grade="limited")
    publish_now(guide, editor_user, reviewer_user)
    pending = workflow.start_change(guide=guide, user=editor_user)
    pending.evidence_grade = "moderate"
    pending.save()
    revisions.record_revision(pending, editor_user)
    note = changes.suggested_change_note(pending)
    assert note == "Evidence grade changed from Limited evidence to Moderate evidence."
