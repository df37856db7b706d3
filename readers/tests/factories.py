import factory

from guides.tests.factories import GuideFactory
from readers.models import CorrectionRequest, NewsletterSubscriber, Page


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
