"""Spreadsheets damaged or odd in the ways files reach staff, built by code for the corpus (`corpus.py`)."""

import io
import re
import zipfile

import openpyxl
from odf.table import TableCell
from odf.text import P

from products.tests.files import HEADER, csv_bytes, ods_bytes, row, xlsx_bytes


def text_csv(lines, newline="\n"):
    return newline.join(lines).encode() + newline.encode()


def header_line(separator=","):
    return separator.join(HEADER)


def row_line(separator=",", **overrides):
    return separator.join(str(value) for value in row(**overrides))


def rewrite(data, member, change):
    """The zip archive `data` with `member` passed through `change`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, change(body) if info.filename == member else body)
    return out.getvalue()


def xlsx_price_cell(raw):
    """An XLSX whose first price cell stores `raw` as its number, as no spreadsheet would write it."""
    data = xlsx_bytes([row(price=12.5)])
    return rewrite(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<v>12.5</v>", f"<v>{raw}</v>".encode()))


def xlsx_error_cell():
    def divide_by_zero(xml):
        return xml.replace(b'<c r="J2" t="n"><v>12.5</v>', b'<c r="J2" t="e"><v>#DIV/0!</v>')

    return rewrite(xlsx_bytes([row(price=12.5)]), "xl/worksheets/sheet1.xml", divide_by_zero)


def xlsx_missing_shared_string():
    def point_far(xml):
        return re.sub(rb'<c r="C2" t="inlineStr">.*?</c>', b'<c r="C2" t="s"><v>999</v></c>', xml)

    return rewrite(xlsx_bytes([row()]), "xl/worksheets/sheet1.xml", point_far)


def workbook(sheets, hidden=()):
    """An XLSX with the named sheets (title -> rows), some of them hidden."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(values)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


INSTRUCTIONS = [["How to fill in this file"], ["One row per offer; prices like 29.99."]]


def xlsx_with_title_row():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Price list, November"])
    sheet.merge_cells("A1:N1")
    sheet.append(HEADER)
    sheet.append(row())
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_formula_without_value():
    return xlsx_bytes([row(price="=K9*1.2")])


def ods_price_stored_as(raw):
    def cell(value):
        if value == "STORED":
            written = TableCell(valuetype="float", value=raw)
            written.addElement(P(text=raw))
            return written
        return None

    return ods_bytes([HEADER, row(price="STORED")], cell=cell)


def ods_date_stored_as(raw):
    def cell(value):
        if value == "STORED":
            return TableCell(valuetype="date", datevalue=raw)
        return None

    return ods_bytes([HEADER, row(price_checked_at="STORED")], cell=cell)


def ods_under_password():
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        b"</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", b"\x8a\x13 encrypted bytes")
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def many_rows(count):
    line = ",".join(["x"] * 3)
    return ("sku,brand,product\n" + (line + "\n") * count).encode()


def dated(*written):
    return csv_bytes([row(sku=f"D-{n}", product=f"P {n}", price_checked_at=w) for n, w in enumerate(written)])


LONG = "9" * 32768
