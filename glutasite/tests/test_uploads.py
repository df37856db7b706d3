"""Every way a file gets in refuses one that is too big, of the wrong kind or broken, says why in
plain words, and writes nothing: product spreadsheets in the admin and by `import_products`,
reference files in the admin and by `import_references`, product photos in the admin.

products/tests and evidence/tests already check an oversized spreadsheet or reference file in the
admin, bad rows and records, and reading functions on their own; this file covers the rest, through
the screens and commands staff use.
"""

import io
import re
import struct
import zipfile
import zlib
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from PIL import Image

from evidence.models import Claim, Study
from evidence.reference_files import MAX_IMPORT_BYTES
from evidence.tests.files import RIS
from glutasite.tests.html_forms import form_data
from products.admin import PRODUCT_IMAGE_MAX_MB
from products.columns import example_row
from products.models import Brand, Merchant, Offer, PriceHistory, Product
from products.spreadsheets import MAX_COLUMNS, MAX_ROWS, read_dataset
from products.tests.factories import BrandFactory

pytestmark = pytest.mark.django_db

COLUMNS = list(example_row())
MODELS = [Product, Offer, Brand, Merchant, PriceHistory, Study, Claim]


def rows_stored():
    return {model.__name__: model.objects.count() for model in MODELS}


def png(size=(2, 2)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width, height):
    """A valid PNG header for an image far too large to decode; the pixels are never there."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode.\r\n"


def xlsx(rows):
    book = openpyxl.Workbook()
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data, change):
    """The XLSX `data` with its first sheet's XML passed through `change`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, change(body) if info.filename == "xl/worksheets/sheet1.xml" else body)
    return out.getvalue()


def xlsx_bomb(unpacked_mb):
    """A small XLSX whose sheet unpacks to `unpacked_mb` megabytes of identical rows."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    rows = row * (unpacked_mb * 1024 * 1024 // len(row) + 1)
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%b</sheetData>'
    return rewrite_sheet(xlsx([COLUMNS]), lambda xml: sheet % rows + b"</worksheet>")


def ods_with_a_cell_repeated(columns):
    document = OpenDocumentSpreadsheet()
    table = Table(name="Offers")
    for _ in range(2):
        row = TableRow()
        cell = TableCell(valuetype="string", numbercolumnsrepeated=columns)
        cell.addElement(P(text="x"))
        row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def example_rows():
    return [COLUMNS, list(example_row().values())]


def csv_text(rows):
    return "\n".join(",".join(str(value) for value in row) for row in rows).encode()


# ---------------------------------------------------------------- how staff send a file


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Uploads waiting for confirmation, and product photos, each in a folder of their own."""
    settings.STORAGES = settings.STORAGES | {
        "imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def files_kept(storage):
    return [path for path in storage.rglob("*") if path.is_file()]


def shown(html):
    """The page's text without tags, as staff read it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def spreadsheet_in_admin(admin_client, tmp_path, name, data):
    response = admin_client.post(
        reverse("admin:products_product_import"),
        {"import_file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    assert "token" not in response.context  # nothing to confirm
    return shown(response.content.decode())


def by_command(command):
    def send(admin_client, tmp_path, name, data):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(CommandError) as refused:
            call_command(command, str(path))
        return str(refused.value)

    send.__name__ = f"by {command}"
    return send


spreadsheet_by_command = by_command("import_products")
references_by_command = by_command("import_references")


def references_in_admin(admin_client, tmp_path, name, data):
    response = admin_client.post(reverse("admin:evidence_study_import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert "token" not in response.context
    return shown(response.content.decode())


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


# ---------------------------------------------------------------- spreadsheets

SPREADSHEETS = [
    ("a PNG renamed .csv", "offers.csv", png(), "holds binary data, not CSV text"),
    ("a program", "setup.exe", EXE, "“setup.exe” is not a CSV, XLSX or ODS file"),
    ("a PNG renamed .xlsx", "offers.xlsx", png(), "could not be opened as an XLSX spreadsheet"),
    ("a cut-off XLSX", "offers.xlsx", xlsx(example_rows())[:400], "could not be opened as an XLSX spreadsheet"),
    ("a broken ODS", "offers.ods", b"PK\x03\x04 not really a zip", "could not be opened as an ODS spreadsheet"),
    ("a CSV too wide", "offers.csv", csv_text([[*COLUMNS, *range(200)], ["x"]]), f"more than {MAX_COLUMNS} columns"),
    ("an ODS cell repeated across", "offers.ods", ods_with_a_cell_repeated(16384), f"more than {MAX_COLUMNS} columns"),
    (
        "an XLSX with its last row far down",
        "offers.xlsx",
        rewrite_sheet(xlsx(example_rows()), lambda xml: re.sub(rb'r="([A-N]?)2"', rb'r="\g<1>1048576"', xml)),
        f"more than {MAX_ROWS:,} rows",
    ),
]


@pytest.mark.parametrize("send", [spreadsheet_in_admin, spreadsheet_by_command], ids=["admin", "command"])
@pytest.mark.parametrize(("name", "data", "message"), [c[1:] for c in SPREADSHEETS], ids=[c[0] for c in SPREADSHEETS])
def test_a_spreadsheet_of_the_wrong_kind_or_shape_is_refused(admin_client, storage, send, name, data, message):
    before = rows_stored()
    assert message in send(admin_client, storage, name, data)
    assert rows_stored() == before
    assert [path.name for path in files_kept(storage)] in ([], [name])  # the command's own file only


@pytest.mark.parametrize("send", [spreadsheet_in_admin, spreadsheet_by_command], ids=["admin", "command"])
def test_a_spreadsheet_that_unpacks_to_far_more_than_its_size_is_refused(admin_client, storage, settings, send):
    settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB = 0.1  # so a 3 MB bomb is enough to show it
    bomb = xlsx_bomb(unpacked_mb=3)
    assert len(bomb) < 0.1 * 1024 * 1024
    before = rows_stored()
    assert "unpacks to 3 MB" in send(admin_client, storage, "offers.xlsx", bomb)
    assert rows_stored() == before


def test_the_command_refuses_a_spreadsheet_over_the_size_limit(admin_client, storage, settings):
    settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB = 0.001
    data = csv_text([*example_rows()] * 20)
    before = rows_stored()
    message = spreadsheet_by_command(admin_client, storage, "offers.csv", data)
    assert "files up to 0.001 MB can be imported" in message
    assert rows_stored() == before


def test_a_spreadsheet_declaring_more_cells_than_it_holds_is_read_for_what_it_holds():
    """An XLSX may claim any size in its <dimension>: one claiming 16,384 columns is read as its 14."""
    claimed = rewrite_sheet(
        xlsx(example_rows()),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD50"', xml),
    )
    dataset = read_dataset(claimed, "xlsx")
    assert (dataset.width, dataset.height) == (len(COLUMNS), 1)


# ---------------------------------------------------------------- reference files

REFERENCES = [
    ("a PNG renamed .ris", "export.ris", png(), "not UTF-8 text"),
    ("a program renamed .nbib", "pubmed.nbib", EXE, "not UTF-8 text"),
    ("a spreadsheet renamed .bib", "library.bib", xlsx(example_rows()), "not UTF-8 text"),
    (
        "a RIS file with a NUL byte",
        "export.ris",
        RIS.replace("Glutamine and", "Glutamine\x00and").encode(),
        "binary data",
    ),
]


@pytest.mark.parametrize("send", [references_in_admin, references_by_command], ids=["admin", "command"])
@pytest.mark.parametrize(("name", "data", "message"), [c[1:] for c in REFERENCES], ids=[c[0] for c in REFERENCES])
def test_a_reference_file_of_the_wrong_kind_or_broken_is_refused(admin_client, storage, send, name, data, message):
    before = rows_stored()
    assert message in send(admin_client, storage, name, data)
    assert rows_stored() == before


def test_the_command_refuses_a_reference_file_over_the_size_limit(admin_client, storage):
    data = b"TY  - JOUR\n" + b"x" * MAX_IMPORT_BYTES
    before = rows_stored()
    assert "the limit is 5 MB" in references_by_command(admin_client, storage, "export.ris", data)
    assert rows_stored() == before


# ---------------------------------------------------------------- product photos

IMAGES = [
    ("text renamed .png", "label.png", b"not an image at all", "Upload a valid image"),
    (
        "an SVG with a script",
        "label.svg",
        b"<svg><script>alert(1)</script></svg>",
        "Upload a valid image",
    ),
    ("a PNG named .html", "label.html", png(), "File extension “html” is not allowed"),
    ("a PNG cut off", "label.png", png((64, 64))[:60], "Upload a valid image"),
    ("a PNG claiming 30,000 × 30,000 pixels", "label.png", png_claiming(30000, 30000), "Upload a valid image"),
    (
        "a photo over the size limit",
        "label.png",
        png() + b"\x00" * (PRODUCT_IMAGE_MAX_MB * 1024 * 1024),
        f"photos up to {PRODUCT_IMAGE_MAX_MB} MB",
    ),
]


@pytest.fixture
def brand():
    return BrandFactory()


def add_product_with_photo(admin_client, brand, name, data):
    url = reverse("admin:products_product_add")
    fields = form_data(admin_client.get(url).content.decode(), "product_form") | {
        "brand": str(brand.pk),
        "name": "L-Glutamine Powder",
        "slug": "l-glutamine-powder",
        "sku": "PHOTO-1",
        "form": "powder",
        "serving_size": "1 scoop (5 g)",
        "amount_per_serving": "5",
        "amount_unit": "g",
        "servings_per_container": "100",
        "image_alt": "The tub from the front",
        "image": SimpleUploadedFile(name, data),
    }
    return admin_client.post(url, fields)


@pytest.mark.parametrize(("name", "data", "message"), [c[1:] for c in IMAGES], ids=[c[0] for c in IMAGES])
def test_a_product_photo_of_the_wrong_kind_broken_or_too_big_is_refused(
    admin_client,
    storage,
    brand,
    name,
    data,
    message,
):
    before = rows_stored()
    response = add_product_with_photo(admin_client, brand, name, data)
    assert response.status_code == 200  # the form again, not a redirect to the saved product
    errors = " ".join(response.context["adminform"].form.errors.get("image", []))
    assert message in errors
    assert rows_stored() == before
    assert files_kept(storage) == []


def test_a_good_photo_is_accepted(admin_client, storage, brand):
    """The refusals above are the files' doing: the same form takes a real photo."""
    assert add_product_with_photo(admin_client, brand, "label.png", png()).status_code == 302
    assert Product.objects.get().image.name.startswith("products/label")
