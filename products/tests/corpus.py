"""Malformed spreadsheets, built by code: each `Case` is a file staff might upload and what they are told.

`CASES` drives `test_corpus.py` (every case through the reader, the admin's
preview and confirm, and `import_products`) and the README's table of faults
and messages. Files are built when first asked for and kept for the session.
"""

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from odf.table import TableCell

from products.spreadsheets import EMPTY_FILE, MAX_COLUMNS, MAX_ROWS, NO_ROWS
from products.tests.damaged import (
    INSTRUCTIONS,
    LONG,
    OLE,
    dated,
    header_line,
    many_rows,
    ods_date_stored_as,
    ods_price_stored_as,
    ods_under_password,
    rewrite,
    row_line,
    text_csv,
    workbook,
    xlsx_error_cell,
    xlsx_formula_without_value,
    xlsx_missing_shared_string,
    xlsx_price_cell,
    xlsx_with_title_row,
)
from products.tests.files import HEADER, csv_bytes, ods_bytes, row, xlsx_bytes

RETYPE = "Type the cell again in Excel or LibreOffice, save the file and import it again."


@dataclass(frozen=True)
class Case:
    fault: str  # what is wrong with the file, as staff would say it
    name: str  # the file's name
    build: Callable[[], bytes]
    message: str  # what staff are told (the start of it), or "" when the file is read correctly
    imported: int = 0  # offers a file read correctly imports
    products: int = 1  # and the products they are of

    @property
    def data(self):
        return _built(self)


@cache
def _built(case):
    return case.build()


CASES = [
    # CSV: text that is not what it says
    Case(
        "NUL bytes in a CSV",
        "offers.csv",
        lambda: text_csv([header_line(), row_line(), "NOW\x00X"]),
        "This file holds binary data, not CSV text (a NUL character on line 3).",
    ),
    Case(
        "an XLSX renamed .csv", "offers.csv", lambda: xlsx_bytes([row()]), "This file holds binary data, not CSV text"
    ),
    Case(
        "a UTF-16 “Unicode text” CSV (tabs)",
        "offers.txt.csv",
        lambda: (
            codecs.BOM_UTF16_LE + text_csv([header_line("\t"), row_line("\t")], "\r\n").decode().encode("utf-16-le")
        ),
        "",
        imported=1,
    ),
    Case(
        "UTF-16 without its byte-order mark",
        "offers.csv",
        lambda: text_csv([header_line("\t"), row_line("\t")]).decode().encode("utf-16-le"),
        "",
        imported=1,
    ),
    Case(
        "Excel's “sep=;” first line",
        "offers.csv",
        lambda: text_csv(["sep=;", header_line(";"), row_line(";", price="29,99 €", currency="EUR")]),
        "",
        imported=1,
    ),
    Case(
        "a byte-order mark in the middle",
        "offers.csv",
        lambda: text_csv([header_line(), row_line(), "\ufeff" + row_line(merchant="iHerb")]),
        "",
        imported=2,  # of one product: the mark is not part of the second row's SKU
    ),
    Case(
        "two exports joined (the header again)",
        "offers.csv",
        lambda: text_csv([header_line(), row_line(), "\ufeff" + header_line(), row_line(merchant="iHerb")]),
        "Row 3: repeats the header row, as where two files were joined. Delete it.",
    ),
    Case(
        "mixed line endings",
        "offers.csv",
        lambda: (header_line() + "\r\n" + row_line() + "\n" + row_line(merchant="iHerb") + "\r").encode(),
        "",
        imported=2,
    ),
    Case(
        "an unclosed quote swallowing the file (cell over the csv field limit)",
        "offers.csv",
        lambda: text_csv([header_line(), row_line(), '"' + row_line(merchant="iHerb"), *[row_line()] * 3000]),
        'The row starting on line 3 never ends: a quotation mark (") opens a cell there that is never closed',
    ),
    Case(
        "an unclosed quote at the end",
        "offers.csv",
        lambda: text_csv([header_line(), row_line(product='"Powder')]),
        "The row starting on line 2 never ends",
    ),
    Case(
        "text after a closing quote",
        "offers.csv",
        lambda: text_csv([header_line(), row_line(product='"Powder" 5g')]),
        "Line 2 has text after the closing quotation mark of a quoted cell.",
    ),
    Case("an empty file", "offers.csv", lambda: b"", EMPTY_FILE),
    Case("only blank lines", "offers.csv", lambda: b"\r\n , ,\r\n\r\n", EMPTY_FILE),
    Case("only a header", "offers.csv", lambda: text_csv([header_line()]), NO_ROWS),
    Case(
        "duplicate headers differing by case and space",
        "offers.csv",
        lambda: csv_bytes([[*row(), "1"]], header=[*HEADER, " Price "]),
        "Row 1, column “Price” (O): appears twice in the header row (also in column J). Keep one.",
    ),
    Case(f"{MAX_ROWS + 1:,} rows", "offers.csv", lambda: many_rows(MAX_ROWS + 1), f"more than {MAX_ROWS:,} rows"),
    Case(
        "too many columns",
        "offers.csv",
        lambda: csv_bytes([row()], header=[*HEADER, *range(MAX_COLUMNS)]),
        f"more than {MAX_COLUMNS} columns",
    ),
    Case(
        "a very long row (10,000 cells past the header)",
        "offers.csv",
        lambda: text_csv([header_line(), row_line() + "," * 10000 + "x"]),
        "",
        imported=1,
    ),
    Case(
        "a 32 KB cell",
        "offers.csv",
        lambda: csv_bytes([row(form=LONG)]),
        f"Row 2, column “form” (D): “{'9' * 60}… (32,768 characters)” is not a product form.",
    ),
    Case(
        "formula injection in a price",
        "offers.csv",
        lambda: csv_bytes([row(price="=1+1")]),
        "Row 2, column “price” (J): “=1+1” is not a price.",
    ),
    Case(
        "formula injection in a name (kept as text)",
        "offers.csv",
        lambda: csv_bytes([row(product='=HYPERLINK("https://evil.example","x")')]),
        "",
        imported=1,
    ),
    Case(
        "blank lines and a title above the header",
        "offers.csv",
        lambda: text_csv(["", "Price list, November", header_line(), row_line(price="abc")]),
        "Row 4, column “price” (J): “abc” is not a price.",
    ),
    Case(
        "dates as text we would have to guess",
        "offers.csv",
        lambda: dated("20/11/2026", "11/20/2026", "20.11.2026", "Nov 20, 2026", "2026-11-31", "yesterday"),
        "Row 2, column “price_checked_at” (L): “20/11/2026” is not a date and time.",
    ),
    Case(
        "dates as text in ISO forms",
        "offers.csv",
        lambda: dated("2026-11-20", "2026-11-20 14:05", "2026-11-20T14:05:00Z", "2026/11/20", "2026-11-20T14:05+01:00"),
        "",
        imported=5,
        products=5,
    ),
    Case("negative zero", "offers.csv", lambda: csv_bytes([row(price="-0.00")]), "", imported=1),
    Case(
        "a currency symbol in the amount column",
        "offers.csv",
        lambda: csv_bytes([row(amount_per_serving="$5")]),
        "Row 2, column “amount_per_serving” (F): “$5” is not an amount.",
    ),
    Case(
        "a price that could be either",
        "offers.csv",
        lambda: csv_bytes([row(price="29,990")]),
        "Row 2, column “price” (J): “29,990” could be 29.990 or 29990; write 29.99 or 29990.",
    ),
    Case(
        "a price with separators that fit nothing",
        "offers.csv",
        lambda: csv_bytes([row(price="1,2,3")]),
        "Row 2, column “price” (J): “1,2,3” is not a number we can read",
    ),
    Case(
        "a SKU mixing alphabets",
        "offers.csv",
        lambda: csv_bytes([row(sku="NОW-GLN")]),
        "Row 2, column “sku” (A): “NОW-GLN” mixes Latin and Cyrillic letters (О is Cyrillic).",
    ),
    Case(
        "a servings count written as 1e30",
        "offers.csv",
        lambda: csv_bytes([row(servings_per_container="1e30")]),
        "Row 2, column “servings_per_container” (G): “1e30” is not a whole number.",
    ),
    # XLSX
    Case(
        "NaN in an XLSX number cell",
        "offers.xlsx",
        lambda: xlsx_price_cell("NaN"),
        f"Cell J2 of the sheet “Sheet” holds “NaN” where a number should be, which no spreadsheet writes. {RETYPE}",
    ),
    Case(
        "INF in an XLSX number cell",
        "offers.xlsx",
        lambda: xlsx_price_cell("INF"),
        "Cell J2 of the sheet “Sheet” holds “INF” where a number should be",
    ),
    Case(
        "1E309 in an XLSX number cell",
        "offers.xlsx",
        lambda: xlsx_price_cell("1E309"),
        "Cell J2 of the sheet “Sheet” holds a number too large for any spreadsheet.",
    ),
    Case(
        "1E+30 in an XLSX price",
        "offers.xlsx",
        lambda: xlsx_price_cell("1E+30"),
        "Row 2, column “price” (J): “1e+30” is too large for a price.",
    ),
    Case(
        "29.999 in an XLSX number cell",
        "offers.xlsx",
        lambda: xlsx_bytes([row(price=29.999)]),
        "Row 2, column “price” (J): “29.999” has more than two decimal places. Round it to cents, like 29.99.",
    ),
    Case(
        "an XLSX cell pointing at a shared string that does not exist",
        "offers.xlsx",
        xlsx_missing_shared_string,
        "Cell C2 of the sheet “Sheet” points at text that is not in the file (text number 999",
    ),
    Case(
        "a formula without a cached value",
        "offers.xlsx",
        xlsx_formula_without_value,
        "Row 2, column “price” (J): holds the formula “=K9*1.2”, which was never calculated",
    ),
    Case(
        "an error cell (#DIV/0!)",
        "offers.xlsx",
        xlsx_error_cell,
        "Row 2, column “price” (J): “#DIV/0!” is not a price.",
    ),
    Case(
        "a password-protected XLSX",
        "offers.xlsx",
        lambda: OLE + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64,
        "This XLSX file is protected with a password, so it cannot be read.",
    ),
    Case(
        "an Excel 97–2003 file renamed .xlsx",
        "offers.xlsx",
        lambda: OLE + "Workbook".encode("utf-16-le"),
        "This file could not be opened as an XLSX spreadsheet: it is an Excel 97–2003 (.xls)",
    ),
    Case(
        "an XLSX that is really HTML",
        "offers.xlsx",
        lambda: b"<html><body><table><tr><td>sku</td></tr></table></body></html>",
        "This file could not be opened as an XLSX spreadsheet: it is a web page (HTML)",
    ),
    Case(
        "a truncated XLSX",
        "offers.xlsx",
        lambda: xlsx_bytes([row()])[:-300],
        "This file could not be opened as an XLSX spreadsheet: it is cut off or damaged",
    ),
    Case(
        "an XLSX whose sheet XML is cut off",
        "offers.xlsx",
        lambda: rewrite(xlsx_bytes([row()]), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]),
        "This file could not be read as XLSX: it looks damaged. Open it in Excel or LibreOffice, save it again",
    ),
    Case(
        "an ODS whose content XML is cut off",
        "offers.ods",
        lambda: rewrite(ods_bytes([HEADER, row()]), "content.xml", lambda xml: xml[: len(xml) // 2]),
        "This file could not be opened as an ODS spreadsheet: it is damaged (its content.xml breaks off",
    ),
    Case("an empty workbook", "offers.xlsx", lambda: workbook({"Sheet": []}), EMPTY_FILE),
    Case(
        "data on the second sheet, instructions on the first",
        "offers.xlsx",
        lambda: workbook({"Instructions": INSTRUCTIONS, "Offers": [HEADER, row()]}),
        "",
        imported=1,
    ),
    Case(
        "data on a hidden sheet",
        "offers.xlsx",
        lambda: workbook({"Instructions": INSTRUCTIONS, "Offers": [HEADER, row()]}, hidden={"Offers"}),
        "The offers are on the sheet “Offers”, which is hidden, and hidden sheets are never imported.",
    ),
    Case("a merged title row above the header", "offers.xlsx", xlsx_with_title_row, "", imported=1),
    # ODS
    Case(
        "an ODS number stored as “19,99”",
        "offers.ods",
        lambda: ods_price_stored_as("19,99"),
        "Cell J2 of the sheet “Offers” stores “19,99” as its number, which is not a number any spreadsheet writes",
    ),
    Case(
        "NaN in an ODS number cell",
        "offers.ods",
        lambda: ods_price_stored_as("NaN"),
        "Cell J2 of the sheet “Offers” stores “NaN” as its number",
    ),
    Case(
        "INF in an ODS number cell",
        "offers.ods",
        lambda: ods_price_stored_as("INF"),
        "Cell J2 of the sheet “Offers” stores “INF” as its number",
    ),
    Case(
        "1E309 in an ODS price",
        "offers.ods",
        lambda: ods_price_stored_as("1E309"),
        "Row 2, column “price” (J): “1E+309” is too large for a price.",
    ),
    Case(
        "1E+30 in an ODS price",
        "offers.ods",
        lambda: ods_price_stored_as("1E+30"),
        "Row 2, column “price” (J): “1E+30” is too large for a price.",
    ),
    Case(
        "an ODS date that is not a date",
        "offers.ods",
        lambda: ods_date_stored_as("2026-13-45"),
        "Cell L2 of the sheet “Offers” stores “2026-13-45” as its date, which is not a date.",
    ),
    Case(
        "an ODS with a hidden sheet of old offers",
        "offers.ods",
        lambda: ods_bytes(
            sheets={"Old": [HEADER, row(sku="OLD-1"), row(sku="OLD-2")], "Offers": [HEADER, row()]},
            hidden={"Old"},
        ),
        "",
        imported=1,
    ),
    Case(
        "an ODS whose only offers are hidden",
        "offers.ods",
        lambda: ods_bytes(sheets={"Notes": [["Read me"]], "Offers": [HEADER, row()]}, hidden={"Offers"}),
        "The offers are on the sheet “Offers”, which is hidden",
    ),
    Case(
        "a password-protected ODS",
        "offers.ods",
        ods_under_password,
        "This ODS file is protected with a password, so it cannot be read.",
    ),
    Case(
        "an ODS that is not a zip",
        "offers.ods",
        lambda: b"PK\x03\x04 not really a zip",
        "This file could not be opened as an ODS spreadsheet: it is cut off or damaged",
    ),
    Case(
        "a date serial where text is expected (ODS date in the SKU)",
        "offers.ods",
        lambda: ods_bytes(
            [HEADER, row(sku="STORED")],
            cell=lambda v: TableCell(valuetype="date", datevalue="2026-11-20") if v == "STORED" else None,
        ),
        "",
        imported=1,
    ),
]
