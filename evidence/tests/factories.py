import factory

from evidence.models import Claim, ClaimStudy, Study, Topic


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    title = factory.Sequence(lambda n: f"Glutamine and gut permeability trial {n}")
    slug = factory.Sequence(lambda n: f"study-{n}")
    authors = "Smith AB, Jones CD, Lee EF"
    journal = "Gut"
    year = 2019
    pmid = factory.Sequence(lambda n: str(30000000 + n))
    doi = factory.Sequence(lambda n: f"10.1000/trial.{n}")
    design = Study.Design.RCT
    participants = 60
    finding = "Glutamine reduced permeability compared with placebo."


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"L-glutamine improves outcome {n}")
    slug = factory.Sequence(lambda n: f"claim-{n}")


class ClaimStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimStudy

    claim = factory.SubFactory(ClaimFactory)
    study = factory.SubFactory(StudyFactory)
    stance = ClaimStudy.Stance.SUPPORTS


def claim_with(*evidence, **fields):
    """A claim linked to new studies, one per (design, stance) pair."""
    claim = ClaimFactory(**fields)
    for design, stance in evidence:
        ClaimStudyFactory(claim=claim, study=StudyFactory(design=design), stance=stance)
    return claim
