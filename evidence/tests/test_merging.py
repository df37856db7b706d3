"""An import never loses information: `merge_record` fills in, corrects, and keeps what a record lacks."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.importing import import_references
from evidence.merging import merge_record
from evidence.models import Study
from evidence.reference_files import Record
from evidence.tests.factories import StudyFactory
from evidence.tests.files import ris_record

pytestmark = pytest.mark.django_db

SEVEN = "van der Hulst RR, van Kreel BK, von Meyenfeldt MF, Brummer RJ, Arends JW, Deutz NE, et al."


def stored(**fields):
    values = {"pmid": "8098788", "doi": "", "title": "Glutamine and the preservation of gut integrity"}
    return StudyFactory(**(values | {"authors": SEVEN, "journal": "Lancet", "year": 1993} | fields))


def record(**fields):
    values = {"number": 1, "title": "Glutamine and the preservation of gut integrity", "pmid": "8098788"}
    return Record(**(values | {"authors": ["van der Hulst RR"], "journal": "", "year": "1993"} | fields))


def test_a_record_with_one_author_does_not_replace_seven():
    study = stored()
    merge = merge_record(study, record())
    assert study.authors == SEVEN
    assert merge.changes == []
    assert merge.kept == [
        "kept the stored authors (more than 6); the file lists 1.",
        "kept the journal “Lancet”; the file gives none.",
    ]


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        ({"year": ""}, "kept the year 1993; the file gives none."),
        ({"year": "in press"}, "kept the year 1993; the file's “in press” is not a year."),
        ({"title": "Glutamine and the preservation"}, "kept the stored title; the file's is only the start of it."),
        ({"authors": ["Smith A", "Jones C"]}, "kept the stored authors, written with more initials than the file's."),
        ({"authors": []}, "kept the stored authors; the file gives none."),
    ],
)
def test_an_empty_shorter_or_less_precise_field_never_replaces_a_fuller_one(fields, kept):
    study = stored(authors="Smith AB, Jones CD", journal="")
    before = (study.title, study.authors, study.year)
    merge = merge_record(study, record(**({"authors": ["Smith AB", "Jones CD"]} | fields)))
    assert (study.title, study.authors, study.year) == before
    assert merge.kept == [kept]


def test_missing_facts_are_filled_in_and_fuller_or_corrected_ones_taken():
    study = stored(authors="Smith AB", journal="", pmcid="", doi="", year=1992, title="An earlier title")
    fuller = record(
        authors=["Smith AB", "Jones CD", "Lee EF"],
        journal="Lancet",
        pmcid="PMC1234567",
        doi="10.1016/0140-6736(93)90939-E",
    )
    merge = merge_record(study, fuller)
    assert merge.changes == ["PMCID", "DOI", "title", "authors", "journal", "year"]
    assert merge.kept == []
    assert (study.authors, study.journal, study.year) == ("Smith AB, Jones CD, Lee EF", "Lancet", 1993)


def test_an_identifier_that_differs_says_the_record_is_another_paper():
    with pytest.raises(ValidationError, match="but its DOI 10.5555/other differs from the stored 10.5555/mine"):
        merge_record(stored(doi="10.5555/mine"), record(doi="10.5555/other"))


def test_the_import_preview_says_what_changes_and_what_was_kept(editor_client):
    StudyFactory(pmid="", doi="10.5555/seven", title="Trial of seven", authors=SEVEN, journal="Gut", year=2019)
    text = ris_record("Trial of seven", doi="10.5555/seven", year="2019")  # one author, no journal
    upload = SimpleUploadedFile("export.ris", text.encode(), content_type="text/plain")
    response = editor_client.post(reverse("admin:evidence_study_import"), {"file": upload})
    html = response.content.decode()
    assert "Already in the library, no change" in html
    assert "Kept the stored authors (more than 6); the file lists 1." in html
    assert "Kept the journal “Gut”; the file gives none." in html
    assert Study.objects.get().authors == SEVEN


def test_an_import_keeps_seven_authors_and_says_so():
    StudyFactory(pmid="", doi="10.5555/seven", title="Trial of seven", authors=SEVEN, year=2019)
    report = import_references(ris_record("Trial of seven", doi="10.5555/seven", year="2019"))
    assert report.ok, report.problems
    assert Study.objects.get().authors == SEVEN
    assert report.kept == [
        "Record 1: kept the stored authors (more than 6); the file lists 1.",
        "Record 1: kept the journal “Gut”; the file gives none.",
    ]
