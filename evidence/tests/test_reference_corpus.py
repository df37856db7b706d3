"""Malformed reference files (RIS, BibTeX, MEDLINE), one table: each is refused whole with a message that
names the fault and where it is, or read correctly; directly, in the admin and by `import_references`."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.importing import import_references
from evidence.models import Study
from evidence.reference_files import ImportFileError, decode_upload
from evidence.tests.files import BIBTEX, MEDLINE, RIS, ris_record

pytestmark = pytest.mark.django_db

OK = ""  # read correctly
SECOND_MEDLINE = MEDLINE.split("\n\n")[1]

CASES = [
    ("a UTF-16 RIS export", "export.ris", lambda: RIS.encode("utf-16"), OK, 3),
    ("mixed line endings", "export.ris", lambda: RIS.replace("\n", "\r\n", 20).replace("\n", "\r", 5).encode(), OK, 3),
    ("a byte-order mark", "export.ris", lambda: ("\ufeff" + RIS).encode(), OK, 3),
    (
        "Windows-1252 text",
        "export.ris",
        lambda: ris_record("Étude de la glutamine", doi="10.5555/e").encode("cp1252"),
        "The file is not UTF-8 text (byte 17 on line 2 cannot be read). Export it again as UTF-8.",
        0,
    ),
    (
        "a NUL byte",
        "export.ris",
        lambda: RIS.replace("Lancet", "Lan\x00cet", 1).encode(),
        "The file holds binary data, not text (character",
        0,
    ),
    ("an empty file", "export.ris", lambda: b"", "The file is empty: it holds no references.", 0),
    ("only blank lines", "export.nbib", lambda: b"\n \r\n\t\n", "The file is empty: it holds no references.", 0),
    (
        "a CSV renamed .ris",
        "export.ris",
        lambda: b"Title,Authors\nGlutamine,Smith\n",
        "Could not tell the file's format.",
        0,
    ),
    (
        "a spreadsheet renamed .bib",
        "library.bib",
        lambda: b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xb7",
        "not UTF-8 text",
        0,
    ),
    (
        "BibTeX with comments only",
        "library.bib",
        lambda: b"% nothing exported\n",
        "The BibTeX file holds no records.",
        0,
    ),
    (
        "a RIS record without its end",
        "export.ris",
        lambda: ris_record("Open-ended", doi="10.5555/o").replace("ER  - \n", "").encode(),
        "Record 1 (line 1): has no “ER  - ” line at the end.",
        0,
    ),
    (
        "text outside a RIS record",
        "export.ris",
        lambda: (
            ris_record("First", doi="10.5555/f") + "stray note\n" + ris_record("Second", doi="10.5555/s")
        ).encode(),
        "Line 7: text outside a record (records run from “TY  - ” to “ER  - ”).",
        0,
    ),
    (
        "a cut-off BibTeX file",
        "library.bib",
        lambda: BIBTEX[: BIBTEX.rindex("year")].encode(),
        "Record 3 (line 27): could not be read as BibTeX. Unexpectedly reached end of file.",
        0,
    ),
    (
        "two BibTeX entries with one key",
        "library.bib",
        lambda: BIBTEX.replace("@article{denhond1999,", "@article{kim2017,").encode(),
        "Its key “kim2017” is already used by an earlier entry.",
        0,
    ),
    (
        "a BibTeX field given twice",
        "library.bib",
        lambda: b"@article{a, title={One}, title={Two}, author={Smith, A}, year={2019}, doi={10.5555/a}}",
        "Record 1 (line 1): could not be read as BibTeX. It repeats the field title.",
        0,
    ),
    (
        "a MEDLINE line neither tag nor continuation",
        "pubmed.nbib",
        lambda: MEDLINE.replace("      postinfectious irritable", "  postinfectious irritable").encode(),
        "Record 1 (line 10): “postinfectious irritable bowel syndrome.” is neither a tag line",
        0,
    ),
    (
        "a MEDLINE record without a PMID",
        "pubmed.nbib",
        lambda: (MEDLINE.split("\n\n")[0] + "\n\n" + SECOND_MEDLINE.replace("PMID- 22038507\n", "")).encode(),
        "has no “PMID- ” line.",
        0,
    ),
    (
        "a 32 KB title",
        "export.ris",
        lambda: ris_record("T" * 32768, doi="10.5555/long").encode(),
        "Record 1 (line 1): title: Ensure this value has at most 500 characters (it has 32768).",
        0,
    ),
    (
        "a year that is none",
        "export.ris",
        lambda: ris_record("Undated", year="in press", doi="10.5555/u").encode(),
        "Record 1 (line 1): its year “in press” is not a year.",
        0,
    ),
    (
        "a DOI that is none",
        "export.ris",
        lambda: ris_record("Bad DOI", doi="10.12/x").encode(),
        "Record 1 (line 1): DOI: A DOI starts with 10., four or more digits and a slash",
        0,
    ),
]
REFUSED = [case for case in CASES if case[3]]


@pytest.fixture
def staff_client(client, django_user_model):
    """Signed in without a password, so twenty sign-ins cost no password hashing."""
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True))
    return client


def ids(cases):
    return [case[0] for case in cases]


def shown(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(("fault", "name", "build", "message", "imported"), CASES, ids=ids(CASES))
def test_each_reference_file_is_refused_with_its_fault_and_place_or_read(fault, name, build, message, imported):
    try:
        report = import_references(decode_upload(build()), file_name=name)
        told = "\n".join(str(problem) for problem in report.problems)
    except ImportFileError as error:
        report, told = None, str(error)
    if message:
        assert message in told
        assert not Study.objects.exists()
    else:
        assert report.ok, told
        assert Study.objects.count() == imported


@pytest.mark.parametrize(("fault", "name", "build", "message", "imported"), REFUSED, ids=ids(REFUSED))
def test_the_admin_and_the_command_refuse_it_and_save_nothing(
    staff_client, tmp_path, fault, name, build, message, imported
):
    upload = SimpleUploadedFile(name, build(), content_type="text/plain")
    response = staff_client.post(reverse("admin:evidence_study_import"), {"file": upload})
    assert response.status_code == 200
    assert " ".join(message.split()) in shown(response.content.decode())
    assert "token" not in response.context
    path = tmp_path / name
    path.write_bytes(build())
    with pytest.raises(CommandError) as refused:
        call_command("import_references", str(path))
    assert message in str(refused.value)
    assert not Study.objects.exists()
