import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import Study
from evidence.tests.factories import StudyFactory

pytestmark = pytest.mark.django_db


def build(**fields):
    values = {
        "title": "Glutamine and the preservation of gut integrity",
        "slug": "van-der-hulst-1993",
        "authors": "van der Hulst RR, van Kreel BK",
        "journal": "Lancet",
        "year": 1993,
        "design": Study.Design.RCT,
        "pmid": "8098788",
    }
    values.update(fields)
    return Study(**values)


@pytest.mark.parametrize("pmid", ["8098788", "1"])
def test_valid_pmid_is_accepted(pmid):
    build(pmid=pmid).full_clean()


@pytest.mark.parametrize("pmid", ["PMID8098788", "80987 88", "0123", "12345678901"])
def test_pmid_must_be_digits(pmid):
    with pytest.raises(ValidationError) as error:
        build(pmid=pmid).full_clean()
    assert "pmid" in error.value.message_dict


@pytest.mark.parametrize("pmcid", ["1234567", "PMC", "PMC12a"])
def test_pmcid_must_be_pmc_and_digits(pmcid):
    with pytest.raises(ValidationError) as error:
        build(pmcid=pmcid).full_clean()
    assert "pmcid" in error.value.message_dict


def test_lower_case_pmcid_is_normalised():
    study = build(pmcid="pmc5454963")
    study.full_clean()
    assert study.pmcid == "PMC5454963"


@pytest.mark.parametrize("doi", ["10.1/x", "11.1016/abc", "doi 10.1016", "10.1016/"])
def test_malformed_doi_is_rejected(doi):
    with pytest.raises(ValidationError) as error:
        build(doi=doi).full_clean()
    assert "doi" in error.value.message_dict


def test_pasted_doi_link_is_trimmed_to_the_doi():
    study = build(doi="https://doi.org/10.1016/0140-6736(93)90939-e")
    study.full_clean()
    assert study.doi == "10.1016/0140-6736(93)90939-e"


def test_study_needs_a_way_for_readers_to_open_it():
    with pytest.raises(ValidationError, match="PMID, a DOI or a URL"):
        build(pmid="").full_clean()


def test_links_are_built_from_identifiers():
    study = build(pmcid="PMC5454963", doi="10.3390/ijms18051051")
    assert study.links == [
        ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/8098788/"),
        ("Full text (PMC)", "https://pmc.ncbi.nlm.nih.gov/articles/PMC5454963/"),
        ("DOI", "https://doi.org/10.3390/ijms18051051"),
    ]


def test_duplicate_pmid_is_refused_by_the_form_check_and_the_database():
    StudyFactory(pmid="8098788")
    with pytest.raises(ValidationError, match="already has this PMID"):
        build(slug="other").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        build(slug="other").save()


def test_doi_uniqueness_ignores_case():
    StudyFactory(doi="10.3390/IJMS18051051", pmid="")
    with pytest.raises(ValidationError, match="already has this DOI"):
        build(slug="other", pmid="", doi="10.3390/ijms18051051").full_clean()


def test_many_studies_without_pmid_or_doi_may_coexist():
    StudyFactory(pmid="", doi="", url="https://example.org/a")
    StudyFactory(pmid="", doi="", url="https://example.org/b")
    assert Study.objects.filter(pmid="", doi="").count() == 2


def test_slug_is_made_from_first_author_year_and_title():
    study = build(slug="")
    study.save()
    assert study.slug == "van-der-hulst-1993-glutamine-and-the-preservation"


def test_with_identifier_matches_doi_case_insensitively():
    study = StudyFactory(doi="10.1136/GUTJNL-2017-315136")
    assert list(Study.objects.with_identifier(doi="https://doi.org/10.1136/gutjnl-2017-315136")) == [study]


def test_retracted_study_needs_the_retraction_date():
    with pytest.raises(ValidationError) as error:
        build(retracted=True).full_clean()
    assert error.value.message_dict == {"retracted_on": ["Give the date the journal retracted the paper."]}


def test_retraction_note_without_the_flag_is_refused():
    with pytest.raises(ValidationError, match="Tick “retracted”"):
        build(retraction_note="Data fabricated.").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        build(retraction_note="Data fabricated.").save()


def test_summary_is_stored_as_safe_html():
    study = build(summary='**Small** trial <script>alert("x")</script>')
    study.save()
    assert study.summary_html == '<p><strong>Small</strong> trial &lt;script&gt;alert("x")&lt;/script&gt;</p>\n'


def test_title_key_ignores_case_accents_and_punctuation():
    study = build(title="Glutamine and the Préservation of Gut Integrity.")
    study.save()
    assert study.title_key == "glutamine and the preservation of gut integrity"


def test_authors_sentence_ends_in_one_full_stop():
    assert build(authors="Zhou Q, Verne ML, et al.").authors_sentence == "Zhou Q, Verne ML, et al."
    assert build(authors="Kim MH, Kim H").authors_sentence == "Kim MH, Kim H."
