import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from products.models import Offer
from products.tests.files import csv_bytes, nothing_written, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_command_imports_and_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(csv_bytes([row()]))
    call_command("import_products", str(path))
    out = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0, errors 0" in out
    assert Offer.objects.count() == 1


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "offers.xlsx"
    path.write_bytes(xlsx_bytes([row()]))
    call_command("import_products", str(path), "--dry-run")
    assert "Dry run, nothing was written" in capsys.readouterr().out
    assert nothing_written()


def test_command_fails_on_any_error_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(csv_bytes([row(), row(merchant="iHerb", price="-3")]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_products", str(path))
    assert "Row 3, column “price” (J): “-3” is negative." in capsys.readouterr().err
    assert nothing_written()


def test_command_shows_progress_on_long_files(tmp_path, capsys):
    path = tmp_path / "offers.csv"
    path.write_bytes(csv_bytes([row(sku=f"S-{n}", product=f"P {n}") for n in range(1000)]))
    call_command("import_products", str(path))
    assert "] 1,000/1,000 rows" in capsys.readouterr().err
