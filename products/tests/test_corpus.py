"""The malformed-file corpus (`corpus.py`), one table: every file is refused whole with a message naming the
fault and where it is, or read correctly; through the reader, the admin's preview and confirm, and
`import_products`; nothing written and no upload left behind on any path."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from products.admin_import import SESSION_KEY
from products.columns import names_a_column
from products.importing import import_offers
from products.models import Brand, Merchant, Offer, PriceHistory, Product
from products.spreadsheets import ImportFileError, format_for_filename, read_dataset
from products.tests.corpus import CASES
from products.tests.files import NOW

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:products_product_import")
CONFIRM_URL = reverse("admin:products_product_process_import")
MODELS = [Brand, Merchant, Product, Offer, PriceHistory]
REFUSED = [case for case in CASES if case.message]


def stored():
    return {model.__name__: model.objects.count() for model in MODELS}


def shown(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def read_and_import(case):
    """What staff are told, and the report (None when the file cannot be read at all)."""
    try:
        dataset = read_dataset(case.data, format_for_filename(case.name), is_header=names_a_column)
    except ImportFileError as error:
        return str(error), None
    report = import_offers(dataset, at=NOW, file_name=case.name)
    return "\n".join(str(problem) for problem in report.problems), report


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    # Every file is read in the request here, the large ones too (tests of the import job cover those).
    settings.PRODUCTS_IMPORT_IN_REQUEST_MAX_KB = 100 * 1024
    folder = tmp_path / "import-tmp"
    settings.STORAGES = settings.STORAGES | {
        "imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}},
    }
    return folder


@pytest.fixture
def admin_client(client, django_user_model):
    """A superuser without a password: signing in costs no password hashing, 200 times over."""
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True))
    return client


def kept(folder):
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_the_corpus_holds_at_least_forty_malformed_files():
    assert len(CASES) >= 40
    assert len({case.fault for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.fault for case in CASES])
def test_each_file_is_refused_with_its_fault_and_place_or_read_correctly(case):
    message, report = read_and_import(case)
    if case.message:
        assert case.message in message
        assert stored() == dict.fromkeys(stored(), 0)
        assert report is None or report.outcomes == []  # a refused file counts nothing as created
    else:
        assert report is not None
        assert report.ok, message
        assert report.counts["new"] == Offer.objects.count() == case.imported
        assert Product.objects.count() == case.products


@pytest.mark.parametrize("case", REFUSED, ids=[case.fault for case in REFUSED])
def test_the_admin_preview_refuses_it_keeps_nothing_and_writes_nothing(admin_client, uploads, case):
    response = admin_client.post(IMPORT_URL, {"import_file": SimpleUploadedFile(case.name, case.data)})
    assert response.status_code == 200
    assert case.message in shown(response.content.decode())
    assert "token" not in response.context
    assert kept(uploads) == []
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize("case", REFUSED, ids=[case.fault for case in REFUSED])
def test_the_admin_confirm_refuses_it_removes_the_upload_and_writes_nothing(admin_client, uploads, case):
    """As when the kept file is not the one previewed (replaced on a shared folder, or read by a newer rule)."""
    uploads.mkdir(exist_ok=True)
    stored_as = f"kept.{format_for_filename(case.name)}"
    (uploads / stored_as).write_bytes(case.data)
    session = admin_client.session
    session[SESSION_KEY] = {"token": "t", "stored_as": stored_as, "file_name": case.name}
    session.save()
    response = admin_client.post(CONFIRM_URL, {"token": "t"}, follow=True)
    assert response.status_code == 200
    assert case.message in shown(response.content.decode())
    assert kept(uploads) == []
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize("case", CASES, ids=[case.fault for case in CASES])
def test_the_command_refuses_it_without_counting_anything_or_imports_it(tmp_path, capsys, case):
    path = tmp_path / case.name
    path.write_bytes(case.data)
    if case.message:
        with pytest.raises(CommandError) as refused:
            call_command("import_products", str(path))
        output = capsys.readouterr()
        assert case.message in f"{refused.value}\n{output.err}"
        assert "created" not in output.out
        assert stored() == dict.fromkeys(stored(), 0)
    else:
        call_command("import_products", str(path))
        assert f"created {case.imported}," in capsys.readouterr().out
        assert Offer.objects.count() == case.imported
