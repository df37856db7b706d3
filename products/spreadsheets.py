"""Reading an uploaded spreadsheet safely: CSV, XLSX or ODS into rows of cells.

`read_dataset()` refuses, with an `ImportFileError` staff can act on, a file
of the wrong kind, one holding binary data, more than MAX_ROWS rows or
MAX_COLUMNS columns, and an archive that unpacks to far more than its size (a
damaged file or a zip bomb), before reading more of it than it must. A
damaged file is refused with what is wrong and where (a line of a CSV, a
cell of a workbook), never with a traceback. CSV is read here; XLSX and ODS
in `workbooks.py`. The admin and `manage.py import_products` also ask
`check_file_size()` and `format_for_filename()` before they read anything.
"""

import csv
import io
import re
from dataclasses import dataclass

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
MB = 1024 * 1024
HEADER_SEARCH = 10  # rows that are not blank looked at for the header, under a title or a note
# What a message may quote of a cell: enough to find it, never a 32 KB cell echoed back whole.
ECHO_LENGTH = 60


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
            where.append(f"column “{echo(self.column)}”" + (f" ({self.letter})" if self.letter else ""))
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Formula:
    """A formula cell whose result was never calculated and stored (a file written by a program and
    never opened in a spreadsheet): the cell parsers refuse it by name instead of reading it as empty."""

    formula: str

    def __str__(self):
        return f"={self.formula}"


def echo(text):
    """`text` as a message may quote it: at most ECHO_LENGTH characters, saying how long it really is."""
    text = str(text)
    if len(text) <= ECHO_LENGTH:
        return text
    return f"{text[:ECHO_LENGTH]}… ({len(text):,} characters)"


def check_file_size(name, size):
    """Refuse a file over DJANGO_IMPORT_MAX_UPLOAD_MB; the admin and the command both ask."""
    limit_mb = settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB
    if size > limit_mb * MB:
        raise ImportFileError(
            f"“{echo(name)}” is {size / MB:.1f} MB; files up to {limit_mb:g} MB can be imported. Split the "
            "spreadsheet into smaller files and import them one after another.",
        )


def format_for_filename(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise ImportFileError(
            f"“{echo(name)}” is not a CSV, XLSX or ODS file. Save the spreadsheet in one of those formats.",
        )
    return extension


def read_dataset(data, file_format, *, is_header=None):
    """A tablib Dataset with one entry per spreadsheet row under the header, blank rows kept, and
    `header_row`, the header's row number in the spreadsheet, so that entry i is row header_row + 1 + i.

    `is_header(row_values)` tells the header row: the first of the first HEADER_SEARCH rows that are
    not blank which it accepts (a title may stand above the header), and in a workbook the first
    visible sheet that has one (instructions often come first). Without it, or when no row fits,
    the first row that is not blank is the header, on the first sheet that holds anything.
    """
    from . import workbooks  # it reads with this module's errors and limits

    readers = {"csv": read_csv, "xlsx": workbooks.read_xlsx, "ods": workbooks.read_ods}
    try:
        header_row, headers, rows = readers[file_format](data, is_header)
    except ImportFileError:
        raise
    except Exception as error:  # the readers' libraries raise anything on a file damaged in a new way
        raise ImportFileError(
            f"This file could not be read as {file_format.upper()}: it looks damaged. Open it in Excel or "
            "LibreOffice, save it again and import the new file.",
        ) from error
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
    dataset.header_row = header_row
    return dataset


def read_csv(data, is_header=None):
    text = decode_csv(data)
    if not text.strip():
        raise ImportFileError(EMPTY_FILE)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(
            f"This file holds binary data, not CSV text (a NUL character on line {line}). Save the spreadsheet "
            "as CSV UTF-8, or choose the format that matches the file.",
        )
    # A byte-order mark inside the text, where two exports were joined, is never part of a cell.
    text = text.replace("\ufeff", "")
    # Excel writes “sep=;” as the first line to name the separator, and hides that line.
    declared = re.match(r"sep=(.)[ \t]*(?:\r\n|\n|\r|$)", text)
    if declared:
        delimiter, text, skipped_lines = declared.group(1), text[declared.end() :], 1
    else:
        first_line = text.lstrip("\r\n").split("\n", 1)[0]
        # Excel and LibreOffice in many European locales separate with semicolons; “Unicode text” with tabs.
        delimiter, skipped_lines = max([",", ";", "\t"], key=first_line.count), 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return header_and_rows(bounded(_csv_rows(reader, skipped_lines)), is_header)


def decode_csv(data):
    """The text of a CSV: UTF-16 (Excel's “Unicode text”), UTF-8 with or without byte-order mark, else the
    Windows code page older Excel writes “CSV (Comma delimited)” in."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16le(data)
    if utf16:
        try:
            return data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le")
        except UnicodeDecodeError:
            raise ImportFileError(
                "This file says it is UTF-16 text (Excel's “Unicode text”) but is cut off or damaged. Save the "
                "spreadsheet again as “CSV UTF-8” and import that file.",
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_like_utf16le(data):
    """UTF-16 without its byte-order mark: text whose every other byte is NUL."""
    start = data[:512]
    return len(start) >= 8 and not any(start[1::2]) and all(start[0::2])


def _csv_rows(reader, skipped_lines):
    """The reader's rows, turning its errors into messages naming the line the row starts on."""
    line = skipped_lines + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(_csv_error(str(error), line)) from None
        line = skipped_lines + reader.line_num + 1
        yield row


def _csv_error(error, line):
    if "field larger than field limit" in error or "unexpected end of data" in error:
        return (
            f'The row starting on line {line} never ends: a quotation mark (") opens a cell there that is never '
            "closed, so the rest of the file reads as one cell. Remove that quotation mark, or close it."
        )
    if "expected after" in error:
        return (
            f"Line {line} has text after the closing quotation mark of a quoted cell. Put the whole cell in "
            'quotation marks and double each quotation mark inside it (""), or remove them.'
        )
    return f"Line {line} cannot be read as CSV ({error}). Save the spreadsheet as CSV UTF-8 again."


def header_and_rows(rows, is_header=None):
    """The header's row number (1 for the first row), the header, and the rows under it."""
    position = find_header(rows, is_header)
    if position is None:
        raise ImportFileError(EMPTY_FILE)
    return position + 1, rows[position], rows[position + 1 :]


def find_header(rows, is_header=None):
    """The position of the header among `rows` (see `read_dataset`), or None when all are blank."""
    first, looked_at = None, 0
    for position, row in enumerate(rows):
        if is_blank(row):
            continue
        first = position if first is None else first
        if is_header is None or is_header(row):
            return position
        looked_at += 1
        if looked_at == HEADER_SEARCH:
            break
    return first


def bounded(rows):
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


def is_blank(row):
    return all(value is None or str(value).strip() == "" for value in row)
