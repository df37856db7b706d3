"""Reading XLSX and ODS workbooks safely: the sheet that holds the offers, as rows of cell values.

Both formats are zip archives of XML. Before a library opens one, a file
that is something else (a password-protected or 97–2003 Office file, a web
page saved with a workbook's name, a cut-off download, a zip bomb) is refused
with what it is and how to save it properly. A workbook's first visible sheet
whose header fits is read, so instructions may come first; a hidden sheet is
never read. A cell no spreadsheet program would write (a number that is
“NaN” or infinite, a string that is not in the file, an ODS number written
“19,99”) refuses the file with the cell's address; a formula whose result was
never calculated is kept as a `Formula` for the cell parsers to name.
"""

import io
import math
import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import iterparse
from xml.parsers.expat import ExpatError, ParserCreate

from django.conf import settings
from openpyxl.utils import get_column_letter

from .spreadsheets import (
    EMPTY_FILE,
    HEADER_SEARCH,
    MAX_COLUMNS,
    MAX_ROWS,
    MB,
    Formula,
    ImportFileError,
    bounded,
    echo,
    find_header,
    header_and_rows,
    is_blank,
)

# A real XLSX or ODS unpacks to about 16 times its size, a zip bomb to thousands of times, so the
# unpacked size may be at most this many times the upload limit.
MAX_UNPACKED_RATIO = 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003 files, and Office files under a password
SHEET_XML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RETYPE = "Type the cell again in Excel or LibreOffice, save the file and import it again."


def read_xlsx(data, is_header=None):
    import openpyxl

    _refuse_what_is_not_a_workbook(data, "XLSX", "“Excel Workbook (.xlsx)”")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises whatever its zip and XML readers raise
        raise ImportFileError(_cannot_open("XLSX", "it is damaged", "“Excel Workbook (.xlsx)”")) from error
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        sheets = [(sheet.title, sheet.sheet_state == "visible", sheet) for sheet in book.worksheets]
        sheet = _choose_sheet(sheets, lambda sheet: _xlsx_rows(archive, sheet), is_header)
        rows = bounded(_xlsx_rows(archive, sheet))
        # openpyxl's path to the sheet's XML, where uncalculated formulas are found.
        for (row, column), formula in _uncalculated_formulas(archive, sheet._worksheet_path):
            if row <= len(rows) and column <= MAX_COLUMNS + 1:
                cells = rows[row - 1]
                cells.extend([None] * (column - len(cells)))
                cells[column - 1] = Formula(formula)
    finally:
        book.close()
    return header_and_rows(rows, is_header)


def _xlsx_rows(archive, sheet):
    """The sheet's rows as openpyxl reads them, a cell it cannot read refusing the file by its address."""
    # The file's own <dimension> may claim all 16,384 columns and a million rows; read what is there.
    sheet.reset_dimensions()
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), 1):
            for column, value in enumerate(row, 1):
                if isinstance(value, float) and not math.isfinite(value):
                    where = f"Cell {get_column_letter(column)}{number} of the sheet “{sheet.title}”"
                    raise ImportFileError(f"{where} holds a number too large for any spreadsheet. {RETYPE}")
            yield row
    except (ValueError, IndexError, KeyError, TypeError, OverflowError) as error:
        fault = _xlsx_fault(archive, sheet._worksheet_path, sheet.title)
        raise ImportFileError(fault or _cannot_open("XLSX", "it is damaged", "“Excel Workbook (.xlsx)”")) from error


def _xlsx_cells(archive, path):
    """(address, type, stored value, formula element or None) of every cell of the sheet's XML, streamed."""
    with archive.open(path) as xml:
        for _, element in iterparse(xml):
            if element.tag == f"{SHEET_XML}c":
                formula = element.find(f"{SHEET_XML}f")
                yield element.get("r", "?"), element.get("t", "n"), element.findtext(f"{SHEET_XML}v"), formula
                element.clear()


def _xlsx_fault(archive, path, title):
    """Where and what the cell is that openpyxl could not read, or None."""
    try:
        with archive.open("xl/sharedStrings.xml") as xml:
            strings = sum(1 for _, element in iterparse(xml) if element.tag == f"{SHEET_XML}si")
    except KeyError:
        strings = 0
    for address, kind, value, _ in _xlsx_cells(archive, path):
        if value is None:
            continue
        where = f"Cell {address} of the sheet “{title}”"
        if kind == "n":
            try:
                finite = math.isfinite(float(value))
            except ValueError:
                finite = False
            if not finite:
                return f"{where} holds “{echo(value)}” where a number should be, which no spreadsheet writes. {RETYPE}"
        elif kind == "s" and not (value.isdigit() and int(value) < strings):
            return (
                f"{where} points at text that is not in the file (text number {echo(value)}; the file holds "
                f"{strings}). The file is damaged. {RETYPE}"
            )
        elif kind == "b" and value not in ("0", "1"):
            return f"{where} holds “{echo(value)}” where yes or no (1 or 0) should be. {RETYPE}"
        elif kind == "d":
            try:
                datetime.fromisoformat(value)
            except ValueError:
                return f"{where} holds “{echo(value)}” where a date should be. {RETYPE}"
    return None


def _uncalculated_formulas(archive, path):
    """((row, column), formula) of each formula cell without a stored result."""
    with archive.open(path) as xml:
        if not _contains(xml, (b"<f>", b"<f ", b":f>", b":f ")):
            return []  # no formula at all: skip parsing the sheet a second time
    from openpyxl.utils.cell import coordinate_to_tuple

    found = []
    for address, _, value, formula in _xlsx_cells(archive, path):
        if formula is not None and value in (None, "") and address != "?":
            found.append((coordinate_to_tuple(address), formula.text or ""))
    return found


def _contains(stream, needles, chunk=1 << 20):
    tail = b""
    while block := stream.read(chunk):
        if any(needle in tail + block for needle in needles):
            return True
        tail = block[-4:]
    return False


def read_ods(data, is_header=None):
    """OpenDocument spreadsheets, read here because tablib drops the cells LibreOffice stores once
    with a repeat count, which shifts columns."""
    from odf.opendocument import load
    from odf.table import Table

    _refuse_what_is_not_a_workbook(data, "ODS", "“ODF Spreadsheet (.ods)”")
    try:
        document = load(io.BytesIO(data))
        tables = document.spreadsheet.getElementsByType(Table)
    except Exception as error:  # odfpy raises whatever its XML and zip readers raise
        raise ImportFileError(_cannot_open("ODS", "it is damaged", "“ODF Spreadsheet (.ods)”")) from error
    hidden = _hidden_table_styles(document)
    sheets = [(table.getAttribute("name"), table.getAttribute("stylename") not in hidden, table) for table in tables]
    table = _choose_sheet(sheets, _ods_rows, is_header)
    return header_and_rows(bounded(_ods_rows(table)), is_header)


def _hidden_table_styles(document):
    from odf.style import Style, TableProperties

    hidden = set()
    for style in document.automaticstyles.getElementsByType(Style):
        for properties in style.getElementsByType(TableProperties):
            if properties.getAttribute("display") == "false":
                hidden.add(style.getAttribute("name"))
    return hidden


def _ods_rows(table):
    """The table's rows as lists of values; runs of blank rows only when data follows them."""
    from odf.table import TableRow

    title, number, blank_rows = table.getAttribute("name"), 0, 0
    for row in table.getElementsByType(TableRow):
        values, blank_cells = [], 0
        for cell in row.childNodes:
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = _ods_value(cell, f"{get_column_letter(len(values) + blank_cells + 1)}{number + 1}", title)
            if value in ("", None):
                blank_cells += repeat  # LibreOffice pads rows with thousands of repeated empty cells
                continue
            # A repeat count may be in the millions: keep no more columns than read_dataset accepts.
            values.extend([None] * min(blank_cells, MAX_COLUMNS + 1 - len(values)))
            values.extend([value] * min(repeat, MAX_COLUMNS + 1 - len(values)))
            blank_cells = 0
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        number += repeat
        if not values:
            blank_rows += repeat
            continue
        for _ in range(min(blank_rows, MAX_ROWS + 2)):
            yield []
        for _ in range(min(repeat, MAX_ROWS + 2)):
            yield values
        blank_rows = 0


def _ods_value(cell, address, title):
    from odf import teletype
    from odf.text import P

    kind = cell.getAttribute("valuetype")
    where = f"Cell {address} of the sheet “{title}”"
    if kind in ("float", "percentage", "currency"):
        written = cell.getAttribute("value") or ""
        try:
            number = Decimal(written)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ImportFileError(
                f"{where} stores “{echo(written)}” as its number, which is not a number any spreadsheet writes "
                f"(LibreOffice writes 19.99). {RETYPE}",
            )
        return number
    if kind == "date":
        written = cell.getAttribute("datevalue") or ""
        try:
            value = datetime.fromisoformat(written)
        except ValueError:
            raise ImportFileError(
                f"{where} stores “{echo(written)}” as its date, which is not a date. {RETYPE}"
            ) from None
        return value.date() if len(written) == 10 else value
    if kind == "boolean":
        return cell.getAttribute("booleanvalue") == "true"
    return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))


def _head(rows):
    """The rows down to the last one `find_header` may look at."""
    kept, filled = [], 0
    for row in rows:
        kept.append(row)
        filled += not is_blank(row)
        if filled == HEADER_SEARCH or len(kept) > MAX_ROWS:
            break
    return kept


def _choose_sheet(sheets, rows_of, is_header):
    """Of (title, visible, sheet), the first visible sheet with a header `is_header` accepts, else the first
    visible sheet with anything on it. A hidden sheet is never read, but is named when the offers are there."""
    hidden_fit, visible = None, []
    for title, is_visible, sheet in sheets:
        rows = _head(rows_of(sheet))
        position = find_header(rows, is_header)
        if position is None:
            continue
        fits = is_header is None or is_header(rows[position])
        if fits and is_visible:
            return sheet
        if fits and hidden_fit is None:
            hidden_fit = title
        if is_visible:
            visible.append(sheet)
    if hidden_fit and (is_header is not None or not visible):
        raise ImportFileError(
            f"The offers are on the sheet “{echo(hidden_fit)}”, which is hidden, and hidden sheets are never "
            "imported. Show the sheet (or copy its rows to a visible sheet), save and import again.",
        )
    if visible:
        return visible[0]
    raise ImportFileError(EMPTY_FILE)


def _refuse_what_is_not_a_workbook(data, name, save_as):
    """Refuse, saying what it is, a file that is not a zip archive of a workbook, or one that unpacks to far
    more than a spreadsheet can hold."""
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ImportFileError(
                f"This {name} file is protected with a password, so it cannot be read. Open it, remove the password "
                "(in Excel: File → Info → Protect Workbook → Encrypt with Password, and clear it), save and "
                "import again.",
            )
        raise ImportFileError(_cannot_open(name, "it is an Excel 97–2003 (.xls) or other older Office file", save_as))
    start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<") and any(tag in start for tag in (b"<html", b"<table", b"<!doctype html")):
        reason = "it is a web page (HTML) with a spreadsheet's name, as some shops' “Export to Excel” buttons make"
        raise ImportFileError(_cannot_open(name, reason, save_as))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        reason = "it is cut off or damaged (a download that did not finish, perhaps)" if data[:2] == b"PK" else None
        raise ImportFileError(_cannot_open(name, reason or "it is not a workbook", save_as)) from None
    if name == "ODS" and b"encryption-data" in _member(archive, "META-INF/manifest.xml"):
        raise ImportFileError(
            "This ODS file is protected with a password, so it cannot be read. Open it in LibreOffice, remove the "
            "password (File → Properties → Security), save and import again.",
        )
    if name == "ODS":
        _refuse_broken_xml(archive, "content.xml", save_as)
    limit = settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB * MAX_UNPACKED_RATIO * MB
    unpacked = sum(info.file_size for info in members)
    if unpacked > limit:
        raise ImportFileError(
            f"This file unpacks to {unpacked / MB:,.0f} MB, far more than a spreadsheet of its size holds "
            f"(at most {limit / MB:,.0f} MB). It may be damaged; save it again from Excel or LibreOffice.",
        )


def _refuse_broken_xml(archive, member, save_as):
    """odfpy prints a part it cannot parse to standard output and reads what came before it, so a cut-off
    ODS would import its first rows; its content is checked here first, streamed, with no DTD allowed."""

    def no_dtd(*args):
        raise ExpatError("a document type declaration, which no spreadsheet writes")

    parser = ParserCreate()
    parser.StartDoctypeDeclHandler = no_dtd
    try:
        with archive.open(member) as xml:
            while chunk := xml.read(MB):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except KeyError:
        return  # no content at all: odfpy says the file cannot be opened
    except (ExpatError, zipfile.BadZipFile, OSError) as error:
        line = f" near line {parser.ErrorLineNumber}" if parser.ErrorLineNumber > 1 else ""
        raise ImportFileError(_cannot_open("ODS", f"it is damaged (its {member} breaks off{line})", save_as)) from error


def _member(archive, name):
    try:
        with archive.open(name) as member:
            return member.read(MB)
    except (KeyError, zipfile.BadZipFile, OSError):
        return b""


def _cannot_open(name, reason, save_as):
    return (
        f"This file could not be opened as an {name} spreadsheet: {reason}. Open it in Excel or LibreOffice and "
        f"save it as {save_as}, or choose the format that matches the file."
    )
