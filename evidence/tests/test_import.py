import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.importing import (
    MAX_IMPORT_BYTES,
    ReferenceImportError,
    decode_upload,
    detect_format,
    import_references,
)
from evidence.models import Study
from evidence.tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

# A Zotero-style RIS export: corporate and personal authors, DOIs in DO and in
# a doi.org link, the PMID as accession number, the PMCID in C2.
RIS = """TY  - JOUR
TI  - Glutamine and the preservation of gut integrity
AU  - van der Hulst, R. R.
AU  - van Kreel, B. K.
AU  - von Meyenfeldt, M. F.
AU  - Brummer, R. J.
AU  - Arends, J. W.
AU  - Deutz, N. E.
AU  - Soeters, P. B.
T2  - Lancet
J2  - Lancet
PY  - 1993
DA  - 1993/05/15/
VL  - 341
IS  - 8857
SP  - 1363
EP  - 1365
DO  - 10.1016/0140-6736(93)90939-E
AN  - 8098788
UR  - https://pubmed.ncbi.nlm.nih.gov/8098788/
KW  - Randomized Controlled Trial
KW  - Glutamine
ER  -

TY  - JOUR
TI  - Glutamine supplementation reduces markers of intestinal permeability during running in the heat
      in a dose-dependent manner
AU  - Pugh, Jamie N.
AU  - Sage, Stephen
AU  - Hutson, Mark
T2  - European Journal of Applied Physiology
J2  - Eur J Appl Physiol
PY  - 2017
UR  - https://doi.org/10.1007/s00421-017-3744-4
C2  - PMC5694515
ER  -

TY  - RPRT
TI  - Scientific Opinion on the substantiation of health claims related to glutamine
AU  - EFSA Panel on Dietetic Products, Nutrition and Allergies
PY  - 2011
UR  - https://www.efsa.europa.eu/en/efsajournal/pub/2225
ER  -
""".replace("ER  -\n", "ER  - \n")  # exporters end each record with "ER  - " and a trailing space

# BibTeX as reference managers write it: protected capitals, LaTeX accents and
# escapes, an @string macro, a PMID as eprint, a PMCID in the note.
BIBTEX = r"""
% Exported from a reference manager
@string{jpen = "JPEN. Journal of Parenteral and Enteral Nutrition"}

@article{achamrah2017,
  author  = {Achamrah, Najate and D{\'e}chelotte, Pierre and Co{\"e}ffier, Mo{\"\i}se},
  title   = {Glutamine and the regulation of intestinal permeability: from bench to bedside},
  journal = {Current Opinion in Clinical Nutrition {\&} Metabolic Care},
  year    = {2017},
  volume  = {20},
  number  = {1},
  pages   = {86--91},
  doi     = {10.1097/MCO.0000000000000339},
  pmid    = {27749689},
}

@article{kim2017,
  author   = {Kim, Min-Hyun and Kim, Hyeyoung},
  title    = {The Roles of {G}lutamine in the Intestine and Its Implication in Intestinal Diseases},
  journal  = {International Journal of Molecular Sciences},
  year     = 2017,
  doi      = {https://doi.org/10.3390/ijms18051051},
  note     = {PMCID: PMC5454963},
  keywords = {Review; Glutamine},
}

@article{denhond1999,
  author     = "Den Hond, E. and Hiele, M. and Peeters, M. and Ghoos, Y. and Rutgeerts, P.",
  title      = "Effect of long-term oral glutamine supplements on small intestinal permeability
                in patients with {C}rohn's disease",
  journal    = jpen,
  year       = "1999",
  eprinttype = {pubmed},
  eprint     = {9888411},
  keywords   = {Randomized Controlled Trial},
}
"""

# PubMed's MEDLINE (.nbib) layout: four-character tags, values wrapped onto
# lines indented by six spaces, a blank line between records.
MEDLINE = """PMID- 30108163
OWN - NLM
STAT- MEDLINE
DCOM- 20190611
IS  - 1468-3288 (Electronic)
VI  - 68
IP  - 6
DP  - 2019 Jun
TI  - Randomised placebo-controlled trial of dietary glutamine supplements for
      postinfectious irritable bowel syndrome.
PG  - 996-1002
LID - 10.1136/gutjnl-2017-315136 [doi]
AB  - OBJECTIVE: Postinfectious IBS (PI-IBS) develops in approximately 10% of patients
      with infectious enteritis. DESIGN: We conducted a randomised placebo-controlled
      trial of dietary glutamine supplements.
FAU - Zhou, QiQi
AU  - Zhou Q
AD  - Department of Medicine, University of Tennessee Health Science Center.
FAU - Verne, Meredith L
AU  - Verne ML
FAU - Fields, Jeremy Z
AU  - Fields JZ
LA  - eng
PT  - Journal Article
PT  - Randomized Controlled Trial
PT  - Research Support, N.I.H., Extramural
PL  - England
TA  - Gut
JT  - Gut
JID - 2985108R
MH  - Glutamine/*administration & dosage
MH  - Humans
PMC - PMC9549483
AID - gutjnl-2017-315136 [pii]
AID - 10.1136/gutjnl-2017-315136 [doi]
PST - ppublish
SO  - Gut. 2019 Jun;68(6):996-1002. doi: 10.1136/gutjnl-2017-315136.

PMID- 22038507
OWN - NLM
DP  - 2012 Apr
TI  - Glutamine and whey protein improve intestinal permeability and morphology in
      patients with Crohn's disease: a randomized controlled trial.
FAU - Benjamin, Jaya
AU  - Benjamin J
FAU - Makharia, Govind
AU  - Makharia G
PT  - Comparative Study
PT  - Journal Article
PT  - Randomized Controlled Trial
TA  - Dig Dis Sci
JT  - Digestive diseases and sciences
AID - 10.1007/s10620-011-1947-9 [doi]
SO  - Dig Dis Sci. 2012 Apr;57(4):1000-12.
"""


def ris_record(title, *, year="2020", doi="", extra=""):
    lines = ["TY  - JOUR", f"TI  - {title}", "AU  - Smith, Anna B.", f"PY  - {year}"]
    if doi:
        lines.append(f"DO  - {doi}")
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "ER  - ", ""])


def ris_file(count, start=0):
    return "\n".join(
        ris_record(f"Trial {n} of glutamine in adults", doi=f"10.5555/trial.{n}", extra=f"AN  - {40000000 + n}")
        for n in range(start, start + count)
    )


def test_ris_file_with_several_authors_and_dois_creates_studies():
    result = import_references(RIS)
    assert result.format_name == "RIS"
    assert [outcome.action for outcome in result.outcomes] == ["new", "new", "new"]

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
    result = import_references(BIBTEX)
    assert result.format_name == "BibTeX"
    assert result.count("new") == 3

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
    result = import_references(MEDLINE)
    assert result.format_name == "PubMed MEDLINE"

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
    assert by_doi.outcomes[0].study == study
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
    result = import_references(MEDLINE)
    study.refresh_from_db()

    assert [outcome.action for outcome in result.outcomes] == ["updated", "new"]
    assert result.outcomes[0].changes == ["PMCID", "DOI", "title", "authors"]
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
    result = import_references(MEDLINE + "\n" + MEDLINE.split("\n\n")[0])
    assert [outcome.action for outcome in result.outcomes] == ["new", "new", "repeat"]
    assert result.outcomes[2].same_as == 1
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
    with pytest.raises(ReferenceImportError) as error:
        import_references(text)
    assert error.value.problems == [
        "Record 2 (line 8): it has no title.",
        "Record 3 (line 14): its year “n.d.” is not a year.",
        "Record 4 (line 21): DOI: A DOI starts with 10., four or more digits and a slash, "
        "such as 10.1016/0140-6736(93)91285-4.",
        "Record 5 (line 28): Give a PMID, a DOI or a URL so readers can open the study.",
    ]
    assert not Study.objects.exists()


def test_bibtex_syntax_error_is_named_by_record_and_line():
    text = BIBTEX.replace('  year       = "1999",\n', '  year       = "1999,\n')
    with pytest.raises(ReferenceImportError) as error:
        import_references(text)
    assert error.value.problems == [
        "Record 3 (line 27): could not be read as BibTeX. Unexpectedly reached end of file.",
    ]
    assert not Study.objects.exists()


def test_medline_line_that_is_neither_tag_nor_continuation_is_rejected():
    text = MEDLINE.replace("      patients with Crohn's disease", "  patients with Crohn's disease")
    with pytest.raises(ReferenceImportError) as error:
        import_references(text)
    assert error.value.problems == [
        "Record 2 (line 43): “patients with Crohn's disease: a randomized controlled trial” is neither a tag line "
        "(“TI  - …”) nor a continuation indented by six spaces.",
    ]
    assert not Study.objects.exists()


def test_ris_record_without_end_line_is_rejected():
    text = ris_record("First trial", doi="10.5555/a").replace("ER  - \n", "") + ris_record("Second", doi="10.5555/b")
    with pytest.raises(ReferenceImportError) as error:
        import_references(text)
    assert error.value.problems == ["Record 1 (line 1): has no “ER  - ” line before the next record."]


def test_record_whose_pmid_and_doi_belong_to_two_studies_is_rejected():
    StudyFactory(pmid="8098788", doi="", title="Stored by PMID")
    StudyFactory(pmid="", doi="10.1016/0140-6736(93)90939-e", title="Stored by DOI")
    with pytest.raises(ReferenceImportError) as error:
        import_references(RIS)
    (problem,) = error.value.problems
    assert problem.startswith("Record 1 (line 1): its PMID 8098788 belongs to “Smith AB et al. (2019) Stored by PMID”")
    assert "but its DOI 10.1016/0140-6736(93)90939-E belongs to “Smith AB et al. (2019) Stored by DOI”" in problem
    assert Study.objects.count() == 2


def test_record_matching_a_study_with_another_pmid_is_rejected():
    StudyFactory(pmid="1234567", doi="10.1136/gutjnl-2017-315136")
    with pytest.raises(ReferenceImportError, match=r"its PMID 30108163 differs from the stored 1234567"):
        import_references(MEDLINE)


def test_pubmed_retraction_is_reported_for_editors_to_review():
    text = MEDLINE.replace(
        "PT  - Journal Article\nPT  - Randomized", "PT  - Retracted Publication\nPT  - Randomized", 1
    )
    result = import_references(text)
    assert result.outcomes[0].notes == ["PubMed marks this paper as retracted: review it and tick “retracted”."]
    assert not Study.objects.get(pmid="30108163").retracted


@pytest.mark.parametrize(
    ("text", "expected"),
    [(RIS, "ris"), (BIBTEX, "bibtex"), (MEDLINE, "medline"), ("\ufeff" + RIS, "ris")],
)
def test_format_is_detected_from_content(text, expected):
    assert detect_format(text.lstrip("\ufeff")) == expected


def test_unknown_format_is_refused_with_what_was_expected():
    with pytest.raises(ReferenceImportError, match="Expected RIS .* BibTeX .* or PubMed MEDLINE"):
        import_references("Title,Authors,Year\nGlutamine,Smith,2019\n")


def test_file_that_is_not_utf8_or_too_large_is_refused():
    with pytest.raises(ReferenceImportError, match="not UTF-8"):
        decode_upload("TI  - Caf\xe9".encode("latin-1"))
    with pytest.raises(ReferenceImportError, match="the limit is 5 MB"):
        decode_upload(b"x" * (MAX_IMPORT_BYTES + 1))
    assert decode_upload("\ufeffTY  - JOUR".encode()) == "TY  - JOUR"


def test_dry_run_reports_without_saving():
    result = import_references(RIS, dry_run=True)
    assert result.summary == "3 RIS records: 3 new, 0 updated, 0 unchanged. Nothing is saved yet."
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


def test_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "zotero.ris"
    path.write_text(RIS, encoding="utf-8")
    call_command("import_references", str(path))
    assert "3 RIS records: 3 new, 0 updated, 0 unchanged. Saved." in capsys.readouterr().out
    assert Study.objects.count() == 3


def test_command_dry_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "pubmed.nbib"
    path.write_text(MEDLINE, encoding="utf-8")
    call_command("import_references", str(path), "--dry-run", verbosity=2)
    out = capsys.readouterr().out
    assert "Record 1: new — Zhou Q et al. (2019) Randomised placebo-controlled trial" in out
    assert "Nothing is saved yet." in out
    assert not Study.objects.exists()


def test_command_names_bad_records_and_fails(tmp_path):
    path = tmp_path / "broken.ris"
    path.write_text(ris_record("Fine trial", doi="10.5555/fine") + ris_record("", doi="10.5555/none"), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_references", str(path))
    assert str(error.value) == f"Nothing was imported from {path}:\n  Record 2 (line 7): it has no title."
    assert not Study.objects.exists()


def test_bibtex_entries_sharing_a_key_are_rejected():
    text = BIBTEX.replace("@article{denhond1999,", "@article{kim2017,")
    with pytest.raises(ReferenceImportError) as error:
        import_references(text)
    assert error.value.problems == [
        "Record 3 (line 27): could not be read as BibTeX. Its key “kim2017” is already used by an earlier entry.",
    ]
