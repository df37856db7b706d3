import pytest
from django.core.management import CommandError, call_command

from evidence.models import Study
from evidence.tests.files import MEDLINE, RIS, ris_record

pytestmark = pytest.mark.django_db


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


def test_command_refuses_a_file_it_cannot_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Title,Authors,Year\nGlutamine,Smith,2019\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_references", str(path))
    assert str(error.value).startswith(f"Nothing was imported from {path}:\n  Could not tell the file's format.")


def test_command_prints_notes_for_editors(tmp_path, capsys):
    path = tmp_path / "pubmed.nbib"
    retracted = MEDLINE.replace(
        "PT  - Journal Article\nPT  - Randomized", "PT  - Retracted Publication\nPT  - Randomized", 1
    )
    path.write_text(retracted, encoding="utf-8")
    call_command("import_references", str(path))
    assert "Record 1: PubMed marks this paper as retracted: review it and tick “retracted”." in capsys.readouterr().out
