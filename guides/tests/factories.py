from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from evidence.tests.factories import StudyFactory
from guides.models import (
    FAQ,
    Category,
    Citation,
    Complaint,
    CorrectionRequest,
    Guide,
    KeyBenefit,
    NewsletterSubscriber,
    Page,
    RankedProduct,
    Reviewer,
    SafetyWarning,
    Section,
)
from products.tests.factories import ProductFactory


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


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    description = "What this page is about."
    body = "# How we work\n\nEvery guide is checked by a credentialed reviewer."


class NewsletterSubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterSubscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")


class CorrectionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectionRequest

    guide = factory.SubFactory(GuideFactory)
    location = "Dosage"
    description = "The dose in the dosage section should be 5 g, not 50 g."
