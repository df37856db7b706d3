import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from products.columns import COLUMNS
from products.models import Offer, PriceHistory, Product
from products.planning import Plan
from products.tests.files import HEADER, csv_bytes, ods_bytes, row, run, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:products_product_import")
CONFIRM_URL = reverse("admin:products_product_process_import")


def upload(client, data, name="offers.csv"):
    return client.post(IMPORT_URL, {"import_file": SimpleUploadedFile(name, data)})


def confirm(client, preview, **kwargs):
    return client.post(CONFIRM_URL, {"token": preview.context["token"]}, **kwargs)


@pytest.fixture(autouse=True)
def kept_uploads(settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def files_in(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def recent(hours=1):
    """A check time an hour ago, as a spreadsheet date cell holds it."""
    return timezone.localtime(timezone.now() - timedelta(hours=hours)).replace(tzinfo=None)


def test_import_preview_lists_changes_then_confirm_saves(client, importer, kept_uploads):
    run(csv_bytes([row(sku="OLD-1", price="9")]), at=timezone.now())
    data = csv_bytes([row(price_checked_at=""), row(sku="OLD-1", price="12.00", product="Renamed")])
    preview = upload(client, data)
    html = preview.content.decode()
    assert "Preview: 1 new, 1 updated, 0 unchanged offers" in html
    assert "Confirm import" in html
    assert "<td>product, price</td>" in html  # what changes on the updated row
    assert not Product.objects.filter(sku="NOW-GLN-500").exists()
    assert len(files_in(kept_uploads)) == 1  # kept for the confirm, which may reach another server

    response = confirm(client, preview, follow=True)
    assert "Import finished: 1 new, 1 updated, 0 unchanged offers" in response.content.decode()
    assert Product.objects.get(sku="OLD-1").name == "Renamed"
    assert Offer.objects.get(product__sku="NOW-GLN-500").price == Decimal("29.99")
    assert PriceHistory.objects.filter(changed_by=importer).count() == 2
    assert sorted(LogEntry.objects.filter(user=importer).values_list("change_message", flat=True)) == [
        "Added by importing offers.csv.",
        "Changed product, price by importing offers.csv.",
    ]
    reasons = Offer.history.filter(history_user=importer).values_list("history_change_reason", flat=True)
    assert list(reasons) == ["Imported from offers.csv"] * 2
    assert files_in(kept_uploads) == []


def test_the_preview_lists_the_rows_kept_for_a_newer_stored_price(client, importer):
    run(csv_bytes([row(price="20.00", price_checked_at="2026-11-20 10:00")]), at=timezone.now())
    html = upload(client, csv_bytes([row(price="25.00", price_checked_at="2026-11-20 09:00")])).content.decode()
    assert "Preview: 0 new, 0 updated, 1 unchanged offers; 1 older price kept for a newer one stored." in html
    assert "Kept: a newer price is stored" in html
    assert (
        "<li>Row 2: 25.00 checked 2026-11-20 09:00 is older than the stored 20.00 checked 2026-11-20 10:00; "
        "added to the price history only.</li>" in html
    )


def test_import_preview_of_a_bad_file_lists_every_problem_and_offers_no_confirm(client, importer, kept_uploads):
    rows = [row(sku="A"), row(sku="B", price="-1"), row(sku="C", currency="XXX"), row(sku="D", affiliate_url="ftp://x")]
    response = upload(client, csv_bytes(rows))
    html = response.content.decode()
    assert "Nothing was imported: the file has 3 problems. Fix them and import the whole file again." in html
    assert "Row 3, column “price” (J): “-1” is negative. A price must be 0 or more." in html
    assert "Row 4, column “currency” (K): “XXX” is not a currency code we know." in html
    assert "Row 5, column “affiliate_url” (M): “ftp://x” is not a web address." in html
    assert html.index("import-problems") < html.index('type="file"')  # above the form, where staff look first
    assert "Confirm import" not in html
    assert not Product.objects.exists()
    assert files_in(kept_uploads) == []


@pytest.mark.parametrize(
    ("name", "build"),
    [("offers.xlsx", lambda rows: xlsx_bytes(rows)), ("offers.ods", lambda rows: ods_bytes([HEADER, *rows]))],
)
def test_spreadsheet_files_preview_and_import(client, importer, name, build):
    preview = upload(client, build([row(price=29.99, price_checked_at=recent())]), name)
    assert "Preview: 1 new" in preview.content.decode()
    confirm(client, preview)
    assert Offer.objects.get().price == Decimal("29.99")


def test_a_long_file_previews_the_first_rows_of_each_kind_with_their_counts(client, importer):
    skus = [f"SKU-{n:03d}" for n in range(130)]
    run(csv_bytes([row(sku=sku, product=f"Powder {sku}") for sku in skus[:70]]), at=timezone.now())
    rows = [row(sku=sku, product=f"Powder {sku}", price="19.99", price_checked_at="") for sku in skus]
    html = upload(client, csv_bytes(rows)).content.decode()
    assert "Preview: 60 new, 70 updated, 0 unchanged offers" in html
    assert "New offers: 60" in html
    assert "Updated offers: 70" in html
    assert html.count("<td>new offer</td>") == 50
    assert html.count("<td>price, price_checked_at</td>") == 50
    assert "And 10 more, not listed." in html
    assert "And 20 more, not listed." in html


def test_confirming_twice_imports_once(client, importer):
    preview = upload(client, csv_bytes([row(price_checked_at="")]))
    confirm(client, preview)
    response = confirm(client, preview, follow=True)
    assert "That preview has expired or was already imported" in response.content.decode()
    assert Offer.objects.count() == 1


def test_a_token_from_another_preview_imports_nothing(client, importer, kept_uploads):
    upload(client, csv_bytes([row(price_checked_at="")]))
    response = client.post(CONFIRM_URL, {"token": "guessed"}, follow=True)
    assert "That preview has expired or was already imported" in response.content.decode()
    assert not Offer.objects.exists()


def test_a_second_preview_replaces_the_first_one_kept(client, importer, kept_uploads):
    first = upload(client, csv_bytes([row(price_checked_at="")]))
    upload(client, csv_bytes([row(price_checked_at="", price="31.00")]))
    assert len(files_in(kept_uploads)) == 1
    assert "That preview has expired" in confirm(client, first, follow=True).content.decode()
    assert not Offer.objects.exists()


def test_a_change_saved_between_preview_and_confirm_refuses_the_whole_file(client, importer, kept_uploads, monkeypatch):
    preview = upload(client, csv_bytes([row(price_checked_at="")]))

    def someone_else_saved_first(plan, **kwargs):
        raise IntegrityError

    monkeypatch.setattr(Plan, "write", someone_else_saved_first)
    html = confirm(client, preview).content.decode()
    assert "Another change to the same products or offers was saved while this file was being imported" in html
    assert 'class="errornote import-problems"' in html
    assert not Offer.objects.exists()
    assert files_in(kept_uploads) == []


def test_upload_over_the_size_limit_is_refused(client, importer, settings):
    settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB = 0.001
    response = upload(client, csv_bytes([row()] * 20))
    assert "files up to 0.001 MB can be imported" in response.content.decode()
    assert not Product.objects.exists()


def test_empty_file_is_refused_with_a_plain_message(client, importer):
    response = upload(client, b"\xef\xbb\xbf\r\n")
    assert "The file is empty" in response.content.decode()


def test_import_needs_product_and_offer_permissions(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_product", "change_product"]))
    client.force_login(viewer)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    assert client.get(reverse("admin:products_product_import_template", args=["xlsx"])).status_code == 403
    assert ">Import<" not in client.get(reverse("admin:products_product_changelist")).content.decode()


def test_product_list_links_the_import_for_importers(client, importer):
    html = client.get(reverse("admin:products_product_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in html
    assert ">Export<" in html


def test_import_page_lists_columns_and_links_the_template(client, importer):
    html = client.get(IMPORT_URL).content.decode()
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in html
    response = client.get(reverse("admin:products_product_import_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A2"].value == "NOW-GLN-500"
    csv_template = client.get(reverse("admin:products_product_import_template", args=["csv"]))
    assert csv_template.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)
