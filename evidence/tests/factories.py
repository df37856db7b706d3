import factory

from evidence.models import Study


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
