"""Reading an uploaded spreadsheet safely: CSV, XLSX or ODS into rows of cells.

`read_dataset()` refuses, with an `ImportFileError` staff can act on, a file
of the wrong kind, one holding binary data, more than MAX_ROWS rows or
MAX_COLUMNS columns, and an archive that unpacks to far more than its size (a
damaged file or a zip bomb), before reading more of it than it must. The
admin and `manage.py import_products` also ask `check_file_size()` and
`format_for_filename()` before they read anything.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import tablib
from django.conf import settings

FORMATS = ("csv", "xlsx", "ods")
EMPTY_FILE = "The file is empty: it has no header row and no rows of offers."
NO_ROWS = "The file has a header row but no rows of offers under it."
# Far beyond any real feed (the template has 14 columns; 10 MB of CSV holds about 50,000 offers), and
# low enough that a file of a few kilobytes declaring millions of cells is refused before it is read.
MAX_ROWS = 100_000
MAX_COLUMNS = 100
TOO_MANY_ROWS = f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files and import them one by one."
TOO_MANY_COLUMNS = f"The file has more than {MAX_COLUMNS} columns. Keep the offer columns and delete the others."
# XLSX and ODS files are zip archives: a real one unpacks to about 16 times its size, a zip bomb to
# thousands of times, so the unpacked size may be at most this many times the upload limit.
MAX_UNPACKED_RATIO = 20
MB = 1024 * 1024


class ImportFileError(Exception):
    """The file cannot be read at all; the message is meant for staff."""


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: “Row 3, column “price” (J): …”, the row numbered as in the spreadsheet."""

    message: str
    row: int | None = None
    column: str | None = None
    letter: str = ""

    def __str__(self):
        where = []
        if self.row:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column “{self.column}”" + (f" ({self.letter})" if self.letter else ""))
        return f"{', '.join(where)}: {self.message}" if where else self.message


def check_file_size(name, size):
    """Refuse a file over DJANGO_IMPORT_MAX_UPLOAD_MB; the admin and the command both ask."""
    limit_mb = settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB
    if size > limit_mb * MB:
        raise ImportFileError(
            f"“{name}” is {size / MB:.1f} MB; files up to {limit_mb:g} MB can be imported. Split the spreadsheet "
            "into smaller files and import them one after another.",
        )


def format_for_filename(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise ImportFileError(f"“{name}” is not a CSV, XLSX or ODS file. Save the spreadsheet in one of those formats.")
    return extension


def read_dataset(data, file_format):
    """A tablib Dataset with one entry per spreadsheet row under the header, blank rows kept
    so that entry i is spreadsheet row i + 2 in every message."""
    readers = {"csv": read_csv, "xlsx": read_xlsx, "ods": read_ods}
    headers, rows = readers[file_format](data)
    named = [index for index, header in enumerate(headers) if str(header or "").strip()]
    if named and named[-1] >= MAX_COLUMNS:
        raise ImportFileError(TOO_MANY_COLUMNS)
    width = named[-1] + 1 if named else 0
    headers = headers[:width]
    while rows and is_blank(rows[-1]):
        rows.pop()
    if not any(str(h or "").strip() for h in headers):
        raise ImportFileError(EMPTY_FILE)
    if not rows:
        raise ImportFileError(NO_ROWS)
    dataset = tablib.Dataset(headers=[h if h is not None else "" for h in headers])
    for row in rows:
        row = list(row[:width]) + [None] * (width - len(row))
        dataset.append(row)
    return dataset


def read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Excel saves “CSV (Comma delimited)” in the Windows code page.
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise ImportFileError(EMPTY_FILE)
    if "\x00" in text:
        raise ImportFileError(
            "This file holds binary data, not CSV text. Save the spreadsheet as CSV UTF-8, or choose the "
            "format that matches the file.",
        )
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Excel and LibreOffice in many European locales separate with semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _header_and_rows(rows)


def read_xlsx(data):
    import openpyxl

    _refuse_zip_bomb(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises whatever its zip and XML readers raise
        raise ImportFileError(
            "This file could not be opened as an XLSX spreadsheet. Save it from Excel or LibreOffice as "
            "“Excel Workbook (.xlsx)”, or choose the format that matches the file.",
        ) from error
    try:
        sheet = book.worksheets[0]
        # The file's own <dimension> may claim all 16,384 columns and a million rows; read what is there.
        sheet.reset_dimensions()
        rows = _bounded(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1))
    finally:
        book.close()
    return _header_and_rows(rows)


def read_ods(data):
    """OpenDocument spreadsheets, read here because tablib drops the cells LibreOffice stores once
    with a repeat count, which shifts columns."""
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableRow
    from odf.text import P

    _refuse_zip_bomb(data)
    try:
        document = load(io.BytesIO(data))
        sheet = document.spreadsheet.getElementsByType(Table)[0]
    except Exception as error:  # odfpy raises whatever its XML and zip readers raise
        raise ImportFileError(
            "This file could not be opened as an ODS spreadsheet. Save it from LibreOffice as "
            "“ODF Spreadsheet (.ods)”, or choose the format that matches the file.",
        ) from error

    def cell_value(cell):
        kind = cell.getAttribute("valuetype")
        if kind in ("float", "percentage", "currency"):
            return Decimal(cell.getAttribute("value"))
        if kind == "date":
            value = datetime.fromisoformat(cell.getAttribute("datevalue"))
            return value.date() if len(cell.getAttribute("datevalue")) == 10 else value
        if kind == "boolean":
            return cell.getAttribute("booleanvalue") == "true"
        return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))

    rows, blank_rows = [], 0
    for row in sheet.getElementsByType(TableRow):
        values, blank_cells = [], 0
        for cell in row.childNodes:
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = cell_value(cell)
            if value in ("", None):
                blank_cells += repeat  # LibreOffice pads rows with thousands of repeated empty cells
                continue
            # A repeat count may be in the millions: keep no more columns than read_dataset accepts.
            values.extend([None] * min(blank_cells, MAX_COLUMNS + 1 - len(values)))
            values.extend([value] * min(repeat, MAX_COLUMNS + 1 - len(values)))
            blank_cells = 0
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        if not values:
            blank_rows += repeat
            continue
        if len(rows) + blank_rows + repeat > MAX_ROWS + 1:
            raise ImportFileError(TOO_MANY_ROWS)
        rows.extend([[]] * blank_rows + [values] * repeat)
        blank_rows = 0
    return _header_and_rows(rows)


def _header_and_rows(rows):
    """The first row that is not blank, and the rows under it."""
    while rows and is_blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(EMPTY_FILE)
    return rows[0], rows[1:]


def _bounded(rows):
    """The rows as lists of at most MAX_COLUMNS + 1 values, refusing more than MAX_ROWS under the
    header as soon as it is reached, before the rest is read."""
    kept = []
    for row in rows:
        if len(kept) > MAX_ROWS:
            raise ImportFileError(TOO_MANY_ROWS)
        values = [] if row.count(None) == len(row) else list(row[: MAX_COLUMNS + 1])  # missing rows, quickly
        while values and values[-1] is None:
            values.pop()
        kept.append(values)
    return kept


def _refuse_zip_bomb(data):
    """Refuse an XLSX or ODS archive that would unpack to far more than a spreadsheet can hold."""
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # not an archive at all: the reader says the file cannot be opened
    limit = settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB * MAX_UNPACKED_RATIO * MB
    if unpacked > limit:
        raise ImportFileError(
            f"This file unpacks to {unpacked / MB:,.0f} MB, far more than a spreadsheet of its size holds "
            f"(at most {limit / MB:,.0f} MB). It may be damaged; save it again from Excel or LibreOffice.",
        )


def is_blank(row):
    return all(value is None or str(value).strip() == "" for value in row)
