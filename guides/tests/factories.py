from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import StudyFactory, claim_with
from guides import revisions, workflow
from guides.models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    Guide,
    KeyBenefit,
    RankedProduct,
    Reviewer,
    SafetyWarning,
    Section,
)
from products.tests.factories import OfferFactory, ProductFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    name = factory.Sequence(lambda n: f"Reviewer {n}")
    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    credentials = "RND"
    title = "Registered Nutritionist-Dietitian"
    licensing_body = "Professional Regulation Commission (PRC)"
    licence_number = "0012345"


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    title = factory.Sequence(lambda n: f"Supplement guide {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    category = factory.SubFactory(CategoryFactory)
    evidence_grade = "limited"
    reviewer = factory.SubFactory(ReviewerFactory)
    intro = "L-glutamine fuels the cells lining the gut."
    status = Guide.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    updated_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    last_reviewed_on = factory.LazyFunction(lambda: date.today() - timedelta(days=2))


class KeyBenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyBenefit

    guide = factory.SubFactory(GuideFactory)
    title = factory.Sequence(lambda n: f"Benefit {n}")
    text = "Supports the gut lining."


class RankedProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankedProduct

    guide = factory.SubFactory(GuideFactory)
    product = factory.SubFactory(ProductFactory)
    rank = factory.Sequence(lambda n: n + 1)
    award = "Best overall"
    quality_score = Decimal("9.0")
    value_score = Decimal("8.0")
    clinical_score = Decimal("7.0")
    verdict = "A clinical dose at a fair price."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    guide = factory.SubFactory(GuideFactory)
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "Take **5 g** a day."


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    guide = factory.SubFactory(GuideFactory)
    complaint = "It upset my stomach"
    answer = "Split the dose."


class SafetyWarningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyWarning

    guide = factory.SubFactory(GuideFactory)
    severity = SafetyWarning.Severity.CAUTION
    text = "Ask your doctor if you have kidney disease."


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    guide = factory.SubFactory(GuideFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    guide = factory.SubFactory(GuideFactory)
    study = factory.SubFactory(StudyFactory)
    order = factory.Sequence(lambda n: n)


def ready_guide(**fields):
    """A draft that passes every publish check but the sign-off."""
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None, updated_at=None, last_reviewed_on=None, **fields)
    claim = claim_with((Study.Design.RCT, ClaimStudy.Stance.SUPPORTS))  # graded moderate
    KeyBenefitFactory(guide=guide, title="Fuels the gut lining", claim=claim)
    ranked = RankedProductFactory(guide=guide, rank=1)
    OfferFactory(product=ranked.product)
    SectionFactory(guide=guide, heading="How it works", body="Glutamine feeds enterocytes.")
    revisions.record_revision(guide, None)
    return guide


def publish_now(guide, editor_user, reviewer_user, **kwargs):
    """Take `guide` through review, sign-off and publishing as the workflow does."""
    if guide.status != Guide.Status.IN_REVIEW:
        workflow.submit_for_review(guide=guide, user=editor_user)
    workflow.sign_off(guide=guide, user=reviewer_user)
    return workflow.publish(guide=guide, user=editor_user, **kwargs)
