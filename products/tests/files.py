"""Spreadsheets as staff send them, for the import tests: rows of the template's example, as CSV, XLSX or ODS."""

import csv
import io
from datetime import UTC, datetime

import openpyxl

from products.columns import example_row
from products.importing import import_offers
from products.models import Brand, Offer, Product
from products.spreadsheets import read_dataset

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HEADER = list(example_row())


def row(**overrides):
    values = example_row() | {"price_checked_at": "2026-11-20 14:05"} | overrides
    return [values[name] for name in HEADER]


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerows([header, *rows])
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode()


def xlsx_bytes(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods_bytes(rows=(), *, sheets=None, hidden=(), cell=None):
    """An ODS file written the way LibreOffice writes one: equal neighbouring cells and the empty
    rows below the data stored once with a repeat count. `sheets` (title -> rows) for several sheets,
    `hidden` the titles of those hidden; `cell(value)` may write a cell its own way (None: the usual way)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    hide = Style(name="hidden", family="table")
    hide.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hide)
    for title, sheet_rows in (sheets or {"Offers": rows}).items():
        table = Table(name=title, stylename=hide if title in hidden else None)
        for values in sheet_rows:
            table_row = TableRow()
            runs = []
            for value in values:
                if runs and runs[-1][0] == value:
                    runs[-1][1] += 1
                else:
                    runs.append([value, 1])
            for value, repeat in runs:
                written = cell(value) if cell else None
                if written is not None:
                    written.setAttribute("numbercolumnsrepeated", repeat)
                elif isinstance(value, int | float):
                    written = TableCell(valuetype="float", value=value, numbercolumnsrepeated=repeat)
                elif isinstance(value, datetime):
                    written = TableCell(valuetype="date", datevalue=value.isoformat(), numbercolumnsrepeated=repeat)
                else:
                    written = TableCell(valuetype="string", numbercolumnsrepeated=repeat)
                    written.addElement(P(text=str(value)))
                table_row.addElement(written)
            table.addElement(table_row)
        table.addElement(TableRow(numberrowsrepeated=1048000))
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def run(data, file_format="csv", **kwargs):
    return import_offers(read_dataset(data, file_format), at=kwargs.pop("at", NOW), **kwargs)


def nothing_written():
    return not (Product.objects.exists() or Offer.objects.exists() or Brand.objects.exists())
