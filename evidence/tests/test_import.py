"""Matching records to stored studies and writing them: never a duplicate, never an editor's words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.importing import ImportReport, import_references
from evidence.models import Study
from evidence.reference_files import Problem
from evidence.tests.factories import StudyFactory
from evidence.tests.files import MEDLINE, RIS, ris_file, ris_record

pytestmark = pytest.mark.django_db


def test_one_study_exported_in_three_formats_is_stored_once():
    medline = """PMID- 9888411
DP  - 1999 Jan-Feb
TI  - Effect of long-term oral glutamine supplements on small intestinal
      permeability in patients with Crohn's disease.
AU  - Den Hond E
AU  - Hiele M
PT  - Randomized Controlled Trial
TA  - JPEN J Parenter Enteral Nutr
AID - 10.1177/014860719902300107 [doi]
"""
    ris = """TY  - JOUR
TI  - EFFECT OF LONG-TERM ORAL GLUTAMINE SUPPLEMENTS ON SMALL INTESTINAL PERMEABILITY IN PATIENTS WITH CROHN'S DISEASE
AU  - Den Hond, E.
AU  - Hiele, M.
PY  - 1999
DO  - 10.1177/014860719902300107
ER  -
"""
    bibtex = r"""@article{denhond,
  author = {Den Hond, E. and Hiele, M. and Peeters, M.},
  title = {Effect of long-term oral glutamine supplements on small intestinal
           permeability in patients with {Crohn}'s disease},
  journal = {JPEN J Parenter Enteral Nutr},
  year = {1999},
}"""
    import_references(medline)
    by_doi = import_references(ris)
    by_title = import_references(bibtex)

    assert Study.objects.count() == 1
    study = Study.objects.get()
    assert study.pmid == "9888411"
    assert by_doi.outcomes[0].object == study
    assert by_title.outcomes[0].action == "updated"
    assert by_title.outcomes[0].changes == ["authors"]
    assert study.authors == "Den Hond E, Hiele M, Peeters M"


def test_reimport_updates_bibliographic_facts_and_keeps_what_editors_wrote():
    study = StudyFactory(
        pmid="30108163",
        doi="",
        title="Glutamine for IBS (preprint title)",
        design=Study.Design.OBSERVATIONAL,
        finding="Fewer IBS symptoms with glutamine.",
        summary="Written by an editor.",
        result=Study.Result.BENEFIT,
    )
    report = import_references(MEDLINE)
    study.refresh_from_db()

    assert [outcome.action for outcome in report.outcomes] == ["updated", "new"]
    assert report.outcomes[0].changes == ["PMCID", "DOI", "title", "authors"]
    assert study.title.startswith("Randomised placebo-controlled trial")
    assert study.doi == "10.1136/gutjnl-2017-315136"
    assert study.design == Study.Design.OBSERVATIONAL
    assert study.finding == "Fewer IBS symptoms with glutamine."
    assert study.summary == "Written by an editor."
    assert study.result == Study.Result.BENEFIT
    assert Study.objects.count() == 2


def test_importing_the_same_file_twice_changes_nothing():
    import_references(RIS)
    before = list(Study.objects.order_by("pk").values())
    again = import_references(RIS)
    assert [outcome.action for outcome in again.outcomes] == ["unchanged"] * 3
    assert list(Study.objects.order_by("pk").values()) == before


def test_a_record_repeated_in_one_file_becomes_one_study():
    report = import_references(MEDLINE + "\n" + MEDLINE.split("\n\n")[0])
    assert [outcome.action for outcome in report.outcomes] == ["new", "new", "repeat"]
    assert report.outcomes[2].same_as == 1
    assert Study.objects.filter(pmid="30108163").count() == 1


def test_bad_records_are_named_by_number_and_nothing_is_saved():
    text = "\n".join(
        [
            ris_record("A valid trial of glutamine", doi="10.5555/ok.1"),
            "TY  - JOUR\nAU  - Smith, Anna\nPY  - 2019\nDO  - 10.5555/untitled\nER  - \n",
            ris_record("Undated trial", year="n.d.", doi="10.5555/undated"),
            ris_record("Trial with a broken DOI", doi="10.12/broken"),
            ris_record("Trial nobody can open"),
        ],
    )
    report = import_references(text)
    assert [str(problem) for problem in report.problems] == [
        "Record 2 (line 8): it has no title.",
        "Record 3 (line 14): its year “n.d.” is not a year.",
        "Record 4 (line 21): DOI: A DOI starts with 10., four or more digits and a slash, "
        "such as 10.1016/0140-6736(93)91285-4.",
        "Record 5 (line 28): Give a PMID, a DOI or a URL so readers can open the study.",
    ]
    assert not Study.objects.exists()


def test_record_whose_pmid_and_doi_belong_to_two_studies_is_rejected():
    StudyFactory(pmid="8098788", doi="", title="Stored by PMID")
    StudyFactory(pmid="", doi="10.1016/0140-6736(93)90939-e", title="Stored by DOI")
    report = import_references(RIS)
    (problem,) = [str(problem) for problem in report.problems]
    assert problem.startswith("Record 1 (line 1): its PMID 8098788 belongs to “Smith AB et al. (2019) Stored by PMID”")
    assert "but its DOI 10.1016/0140-6736(93)90939-E belongs to “Smith AB et al. (2019) Stored by DOI”" in problem
    assert Study.objects.count() == 2


def test_record_matching_a_study_with_another_pmid_is_rejected():
    StudyFactory(pmid="1234567", doi="10.1136/gutjnl-2017-315136")
    [problem] = import_references(MEDLINE).problems
    assert str(problem).startswith("Record 1 (line 1): it matches “")
    assert "but its PMID 30108163 differs from the stored 1234567." in str(problem)
    assert Study.objects.count() == 1


def test_pubmed_retraction_is_reported_for_editors_to_review():
    text = MEDLINE.replace(
        "PT  - Journal Article\nPT  - Randomized", "PT  - Retracted Publication\nPT  - Randomized", 1
    )
    report = import_references(text)
    assert report.outcomes[0].notes == ["PubMed marks this paper as retracted: review it and tick “retracted”."]
    assert not Study.objects.get(pmid="30108163").retracted


def test_dry_run_reports_without_saving():
    report = import_references(RIS, dry_run=True)
    assert report.summary == "3 RIS records: 3 new, 0 updated, 0 unchanged. Nothing is saved yet."
    assert not Study.objects.exists()


def test_import_query_count_does_not_grow_with_the_number_of_records():
    with CaptureQueriesContext(connection) as small:
        import_references(ris_file(10))
    with CaptureQueriesContext(connection) as large:
        import_references(ris_file(300, start=10))
    with CaptureQueriesContext(connection) as reimport:
        import_references(ris_file(300, start=10).replace("Trial", "Updated trial"))
    assert Study.objects.count() == 310
    assert Study.objects.filter(title__startswith="Updated trial").count() == 300
    # A handful of queries for a whole file, not one or more per record. SQLite
    # caps the values in one statement, so its bulk writes go in a few batches.
    assert len(small) < 10
    assert len(large) < 30
    assert len(reimport) < 30


def test_a_report_with_problems_says_nothing_was_imported():
    report = ImportReport(format_name="RIS", dry_run=False, problems=[Problem("it has no title.", 2, 8)])
    assert report.summary == (
        "Nothing was imported: the file has 1 problem. "
        "Fix it in your reference manager and import the whole file again."
    )
