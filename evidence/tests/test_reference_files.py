"""Reading RIS, BibTeX and PubMed MEDLINE files as reference managers write them."""

import pytest

from evidence.importing import import_references
from evidence.models import Study
from evidence.reference_files import MAX_IMPORT_BYTES, ImportFileError, decode_upload, detect_format
from evidence.tests.files import BIBTEX, MEDLINE, RIS, ris_record

pytestmark = pytest.mark.django_db


def test_ris_file_with_several_authors_and_dois_creates_studies():
    report = import_references(RIS)
    assert report.format_name == "RIS"
    assert [outcome.action for outcome in report.outcomes] == ["new", "new", "new"]

    hulst = Study.objects.get(pmid="8098788")
    assert hulst.title == "Glutamine and the preservation of gut integrity"
    assert hulst.authors == "van der Hulst RR, van Kreel BK, von Meyenfeldt MF, Brummer RJ, Arends JW, Deutz NE, et al."
    assert hulst.journal == "Lancet"
    assert hulst.year == 1993
    assert hulst.doi == "10.1016/0140-6736(93)90939-E"
    assert hulst.design == Study.Design.RCT

    pugh = Study.objects.get(doi="10.1007/s00421-017-3744-4")
    assert pugh.title.endswith("during running in the heat in a dose-dependent manner")
    assert pugh.authors == "Pugh JN, Sage S, Hutson M"
    assert pugh.journal == "Eur J Appl Physiol"
    assert pugh.pmcid == "PMC5694515"
    assert pugh.design == Study.Design.OTHER

    efsa = Study.objects.get(year=2011)
    assert efsa.authors == "EFSA Panel on Dietetic Products, Nutrition and Allergies"
    assert efsa.url == "https://www.efsa.europa.eu/en/efsajournal/pub/2225"
    assert efsa.slug


def test_bibtex_braces_accents_and_latex_escapes_are_decoded():
    report = import_references(BIBTEX)
    assert report.format_name == "BibTeX"
    assert report.counts["new"] == 3

    achamrah = Study.objects.get(pmid="27749689")
    assert achamrah.authors == "Achamrah N, Déchelotte P, Coëffier M"
    assert achamrah.journal == "Current Opinion in Clinical Nutrition & Metabolic Care"
    assert achamrah.doi == "10.1097/MCO.0000000000000339"

    kim = Study.objects.get(doi="10.3390/ijms18051051")
    assert kim.title == "The Roles of Glutamine in the Intestine and Its Implication in Intestinal Diseases"
    assert kim.authors == "Kim MH, Kim H"
    assert kim.pmcid == "PMC5454963"

    den_hond = Study.objects.get(pmid="9888411")
    assert den_hond.title.endswith("in patients with Crohn's disease")
    assert den_hond.authors == "Den Hond E, Hiele M, Peeters M, Ghoos Y, Rutgeerts P"
    assert den_hond.journal == "JPEN. Journal of Parenteral and Enteral Nutrition"
    assert den_hond.design == Study.Design.RCT


def test_medline_wrapped_titles_pmc_and_doi_lines_are_read():
    report = import_references(MEDLINE)
    assert report.format_name == "PubMed MEDLINE"

    zhou = Study.objects.get(pmid="30108163")
    assert zhou.title == (
        "Randomised placebo-controlled trial of dietary glutamine supplements for postinfectious "
        "irritable bowel syndrome"
    )
    assert zhou.authors == "Zhou Q, Verne ML, Fields JZ"
    assert zhou.journal == "Gut"
    assert zhou.year == 2019
    assert zhou.pmcid == "PMC9549483"
    assert zhou.doi == "10.1136/gutjnl-2017-315136"  # the [doi] line, not the [pii] one
    assert zhou.design == Study.Design.RCT

    benjamin = Study.objects.get(pmid="22038507")
    assert benjamin.title == (
        "Glutamine and whey protein improve intestinal permeability and morphology in patients with Crohn's disease: "
        "a randomized controlled trial"
    )
    assert benjamin.doi == "10.1007/s10620-011-1947-9"


def test_bibtex_syntax_error_is_named_by_record_and_line():
    text = BIBTEX.replace('  year       = "1999",\n', '  year       = "1999,\n')
    report = import_references(text)
    assert [str(problem) for problem in report.problems] == [
        "Record 3 (line 27): could not be read as BibTeX. Unexpectedly reached end of file.",
    ]
    assert not Study.objects.exists()


def test_medline_line_that_is_neither_tag_nor_continuation_is_rejected():
    text = MEDLINE.replace("      patients with Crohn's disease", "  patients with Crohn's disease")
    report = import_references(text)
    assert [str(problem) for problem in report.problems] == [
        "Record 2 (line 43): “patients with Crohn's disease: a randomized controlled trial” is neither a tag line "
        "(“TI  - …”) nor a continuation indented by six spaces.",
    ]
    assert not Study.objects.exists()


def test_ris_record_without_end_line_is_rejected():
    text = ris_record("First trial", doi="10.5555/a").replace("ER  - \n", "") + ris_record("Second", doi="10.5555/b")
    report = import_references(text)
    assert [str(problem) for problem in report.problems] == [
        "Record 1 (line 1): has no “ER  - ” line before the next record."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(RIS, "ris"), (BIBTEX, "bibtex"), (MEDLINE, "medline"), ("\ufeff" + RIS, "ris")],
)
def test_format_is_detected_from_content(text, expected):
    assert detect_format(text.lstrip("\ufeff")) == expected


def test_unknown_format_is_refused_with_what_was_expected():
    with pytest.raises(ImportFileError, match="Expected RIS .* BibTeX .* or PubMed MEDLINE"):
        import_references("Title,Authors,Year\nGlutamine,Smith,2019\n")


def test_file_that_is_not_utf8_or_too_large_is_refused():
    with pytest.raises(ImportFileError, match="not UTF-8"):
        decode_upload("TI  - Caf\xe9".encode("latin-1"))
    with pytest.raises(ImportFileError, match="the limit is 5 MB"):
        decode_upload(b"x" * (MAX_IMPORT_BYTES + 1))
    assert decode_upload("\ufeffTY  - JOUR".encode()) == "TY  - JOUR"


def test_bibtex_entries_sharing_a_key_are_rejected():
    text = BIBTEX.replace("@article{denhond1999,", "@article{kim2017,")
    report = import_references(text)
    assert [str(problem) for problem in report.problems] == [
        "Record 3 (line 27): could not be read as BibTeX. Its key “kim2017” is already used by an earlier entry.",
    ]
