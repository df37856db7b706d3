"""Spreadsheet import of products and their offers, one row per offer.

`read_dataset()` turns an uploaded CSV, XLSX or ODS file into rows and
`import_offers()` checks every row, then writes all of them or none. The
admin (through `resources.OfferResource`) and `manage.py import_products`
both call these two functions, so they accept and refuse the same files.
After a write, `signals.offers_imported` is sent.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from openpyxl.utils import get_column_letter

from .models import CURRENCIES, HTTPS_URL_VALIDATOR, Brand, Merchant, Offer, PriceHistory, Product
from .signals import offers_imported

# Column name -> what staff write in it. The order is the template's order.
COLUMNS = {
    "sku": "Your catalogue's code for the product. Products are matched on it.",
    "brand": "The brand as on the label. A new brand is created; matched ignoring capitals.",
    "product": "The product name as on the label, without the brand.",
    "form": "One of: capsule, tablet, softgel, powder, liquid, gummy, other.",
    "serving_size": "As on the label, e.g. “1 scoop (5 g)” or “2 capsules”.",
    "amount_per_serving": "What one serving holds, with its unit: 5 g, 500 mg, 10 mcg. Grams if no unit.",
    "servings_per_container": "A whole number, 1 or more.",
    "certifications": "Testing seals separated by semicolons: “NSF Certified for Sport; Informed Sport”.",
    "merchant": "The shop, e.g. “Amazon US”. A new merchant is created with a 24-hour price freshness limit.",
    "price": "The price at that shop: 29.99, $29.99 and 29,99 € all work. Not negative.",
    "currency": f"The three-letter code: {', '.join(CURRENCIES)}.",
    "price_checked_at": "When the price was seen, e.g. 2026-11-20 14:05 or a date cell. Empty means now.",
    "affiliate_url": "The shop's https:// address with your tracking code.",
    "in_stock": "yes or no; empty means yes.",
}
OPTIONAL_COLUMNS = {"certifications", "price_checked_at", "in_stock"}
REQUIRED_COLUMNS = [name for name in COLUMNS if name not in OPTIONAL_COLUMNS]
EXAMPLE_ROW = {
    "sku": "NOW-GLN-500",
    "brand": "NOW Foods",
    "product": "L-Glutamine Powder",
    "form": "powder",
    "serving_size": "1 level teaspoon (5 g)",
    "amount_per_serving": "5 g",
    "servings_per_container": 100,
    "certifications": "Informed Choice",
    "merchant": "Amazon US",
    "price": "29.99",
    "currency": "USD",
    "price_checked_at": "2026-11-20 14:05",
    "affiliate_url": "https://www.amazon.com/dp/B0013OXKHC?tag=glutasite-20",
    "in_stock": "yes",
}
FORMATS = ("csv", "xlsx", "ods")
# A spreadsheet treats a cell starting with one of these as a formula. Exports
# put an apostrophe before them; imports take that apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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
# A price may be checked a few minutes “in the future” when clocks disagree.
CLOCK_SKEW = timedelta(minutes=5)
PRODUCT_FIELDS = [
    "brand",
    "name",
    "form",
    "serving_size",
    "amount_per_serving",
    "amount_unit",
    "servings_per_container",
    "certifications",
]
OFFER_FIELDS = ["price", "currency", "price_checked_at", "affiliate_url", "in_stock"]
# Which column to blame when the model's own validation refuses a value.
FIELD_COLUMNS = {
    "name": "product",
    "amount_unit": "amount_per_serving",
    "product": "sku",
}
QUERY_CHUNK = 2000
AFFILIATE_URL_LENGTH = Offer._meta.get_field("affiliate_url").max_length


class ImportFileError(Exception):
    """The file cannot be read at all; the message is meant for staff."""


@dataclass(frozen=True)
class Problem:
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


@dataclass
class RowOutcome:
    number: int
    status: str  # "new", "updated" or "unchanged"
    offer: Offer
    changes: list = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    brands_created: int = 0
    merchants_created: int = 0
    products_created: int = 0
    products_updated: int = 0
    prices_recorded: int = 0

    @property
    def ok(self):
        return not self.problems

    @property
    def counts(self):
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def summary(self):
        if not self.ok:
            return (
                f"Nothing was imported: the file has {_plural(len(self.problems), 'problem')}. "
                f"Fix {'it' if len(self.problems) == 1 else 'them'} and import the whole file again."
            )
        counts = self.counts
        text = f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged offers"
        extras = [
            _plural(self.products_created, "new product"),
            _plural(self.products_updated, "updated product"),
            _plural(self.brands_created, "new brand"),
            _plural(self.merchants_created, "new merchant"),
            _plural(self.prices_recorded, "price", "prices") + " added to the price history",
        ]
        extras = [extra for extra in extras if not extra.startswith("0 ")]
        return text + ("; " + ", ".join(extras) if extras else "") + "."


def _plural(count, singular, plural=None):
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


class CellError(Exception):
    pass


# ---------------------------------------------------------------- reading files


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
    while rows and _is_blank(rows[-1]):
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
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older Excel saves “CSV (Comma delimited)” in the Windows code page.
            text = data.decode("cp1252", errors="replace")
    else:
        text = data.removeprefix("\ufeff")
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
    while rows and _is_blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(EMPTY_FILE)
    return rows[0], rows[1:]


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
    while rows and _is_blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError(EMPTY_FILE)
    return rows[0], rows[1:]


def read_ods(data):
    """OpenDocument spreadsheets, read here because django-import-export 4.4.3 reads them as text
    and tablib drops repeated cells, which shifts columns."""
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


def _is_blank(row):
    return all(value is None or str(value).strip() == "" for value in row)


# ---------------------------------------------------------------- reading cells


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, Decimal) and value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _number(text):
    """Reads 1299.00, 1,299.00, 1.299,00, 29,99 and 1 299,00 alike."""
    text = re.sub(r"[\s'’]", "", text)
    if "," in text and "." in text:
        # Whichever comes last is the decimal point.
        thousands, point = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
        text = text.replace(thousands, "").replace(point, ".")
    elif "," in text:
        whole, _, tail = text.rpartition(",")
        text = text.replace(",", "") if text.count(",") > 1 or len(tail) == 3 else text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError from None
    if not number.is_finite():
        raise CellError
    return number


def _currency_markers():
    markers = {}
    for code, symbol in CURRENCIES.items():
        markers.setdefault(code, set()).add(code)
        markers.setdefault(symbol.strip().upper(), set()).add(code)
    dollars = {code for code, symbol in CURRENCIES.items() if symbol.strip().endswith("$")}
    markers["$"] = dollars
    markers.update({"US$": {"USD"}, "C$": {"CAD"}, "AU$": {"AUD"}, "KR": {"SEK", "NOK", "DKK"}, "KR.": {"DKK"}})
    return markers


CURRENCY_MARKERS = _currency_markers()


def parse_price(value):
    """The price and, when it is written with a symbol or code, the currencies that symbol can mean."""
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a price. Write it like 29.99.")
    if isinstance(value, int | float | Decimal):
        # A number cell, perhaps the result of a formula: round to cents.
        price = Decimal(repr(value) if isinstance(value, float) else value)
        price, currencies = price.quantize(Decimal("0.01"), ROUND_HALF_UP), None
    else:
        text = _text(value)
        if not text:
            raise CellError("is empty. Every offer needs a price, like 29.99.")
        negative = bool(re.search(r"[-−]", text)) or (text.startswith("(") and text.endswith(")"))
        marker = re.sub(r"[\d.,\s'’()\-−]", "", text).upper()
        currencies = CURRENCY_MARKERS.get(marker) if marker else None
        number = re.sub(r"[^\d.,\s'’]", "", text).strip()
        if (marker and currencies is None) or not re.search(r"\d", number):
            raise CellError(f"“{text}” is not a price. Write it like 29.99, $29.99 or 29,99 €.")
        try:
            price = _number(number)
        except CellError:
            raise CellError(f"“{text}” is not a price. Write it like 29.99, $29.99 or 29,99 €.") from None
        if negative:
            price = -price
        if price.as_tuple().exponent < -2:
            raise CellError(f"“{text}” has more than two decimal places. Round it to cents, like 29.99.")
    if price < 0:
        raise CellError(f"“{_text(value)}” is negative. A price must be 0 or more.")
    if price >= Decimal("100000000"):
        raise CellError(f"“{_text(value)}” is too large for a price.")
    return price, currencies


def parse_currency(value, price_currencies):
    code = _text(value).upper()
    if not code:
        if price_currencies and len(price_currencies) == 1:
            return next(iter(price_currencies))
        raise CellError("is empty. Write the three-letter currency code, such as USD or EUR.")
    if code not in CURRENCIES:
        raise CellError(f"“{_text(value)}” is not a currency code we know. Use one of: {', '.join(CURRENCIES)}.")
    return code


def parse_amount(value):
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount, unit = Decimal(repr(value) if isinstance(value, float) else value), ""
    else:
        text = _text(value)
        match = re.fullmatch(r"([\d.,\s]+?)\s*([a-zA-Zµμ]*)", text)
        if not text:
            raise CellError("is empty. Write how much one serving holds, like 5 g or 500 mg.")
        if not match:
            raise CellError(f"“{text}” is not an amount. Write it like 5 g, 500 mg or 10 mcg.")
        try:
            amount, unit = _number(match.group(1)), match.group(2)
        except CellError:
            raise CellError(f"“{text}” is not an amount. Write it like 5 g, 500 mg or 10 mcg.") from None
    units = {u.lower(): u for u in Product.Unit.values} | {"µg": "mcg", "μg": "mcg", "ug": "mcg", "": "g"}
    if unit.lower() not in units:
        raise CellError(f"“{unit}” is not a unit we know. Use one of: {', '.join(Product.Unit.values)}.")
    if amount.as_tuple().exponent < -3:
        raise CellError(f"“{_text(value)}” has more than three decimal places.")
    return amount, units[unit.lower()]


def parse_whole_number(value):
    text = _text(value)
    if not text:
        raise CellError("is empty. Write how many servings the container holds, like 60.")
    try:
        number = value if isinstance(value, int) and not isinstance(value, bool) else _number(text)
    except CellError:
        raise CellError(f"“{text}” is not a whole number.") from None
    if number != int(number) or number < 1:
        raise CellError(f"“{text}” is not a whole number of servings, 1 or more.")
    return int(number)


FORM_NAMES = {choice.lower(): value for value, choice in Product.Form.choices} | {
    value: value for value in Product.Form.values
}
FORM_NAMES |= {f"{name}s": value for name, value in list(FORM_NAMES.items())} | {"gummies": "gummy"}


def parse_form(value):
    text = _text(value)
    if not text:
        raise CellError(f"is empty. Write one of: {', '.join(Product.Form.values)}.")
    try:
        return FORM_NAMES[text.lower()]
    except KeyError:
        raise CellError(f"“{text}” is not a product form. Use one of: {', '.join(Product.Form.values)}.") from None


YES = {"yes", "y", "true", "1", "in stock", "available", "x", "✓"}
NO = {"no", "n", "false", "0", "out of stock", "sold out", "unavailable"}


def parse_in_stock(value):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text or text in YES:
        return True
    if text in NO:
        return False
    raise CellError(f"“{_text(value)}” is not yes or no.")


def parse_checked_at(value, at):
    """A datetime from a date cell, an ISO date or “2026-11-20 14:05”; `at` when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return at
    if isinstance(value, datetime):
        checked_at = value
    elif isinstance(value, date):
        checked_at = datetime.combine(value, time.min)
    else:
        text = _text(value)
        hint = f"“{text}” is not a date and time. Write it like 2026-11-20 14:05, or use a date cell."
        if isinstance(value, int | float | Decimal):
            raise CellError(hint)
        try:
            checked_at = parse_datetime(text.replace("/", "-")) or parse_date(text.replace("/", "-"))
        except ValueError:
            raise CellError(hint) from None
        if checked_at is None:
            raise CellError(hint)
        if not isinstance(checked_at, datetime):
            checked_at = datetime.combine(checked_at, time.min)
    if timezone.is_naive(checked_at):
        checked_at = timezone.make_aware(checked_at)
    if checked_at > at + CLOCK_SKEW:
        shown = timezone.localtime(checked_at).strftime("%Y-%m-%d %H:%M")
        raise CellError(f"{shown} is in the future. A price can only have been checked already.")
    return checked_at


def parse_affiliate_url(value):
    text = _text(value)
    if not text:
        raise CellError("is empty. Every offer needs the shop's https:// address.")
    if len(text) > AFFILIATE_URL_LENGTH:
        raise CellError(f"is {len(text)} characters long; at most {AFFILIATE_URL_LENGTH} fit.")
    try:
        HTTPS_URL_VALIDATOR(text)
    except ValidationError:
        if text.lower().startswith("http://"):
            raise CellError(f"“{text}” is not secure. Affiliate links must start with https://.") from None
        raise CellError(f"“{text}” is not a web address. Write the full address starting with https://.") from None
    return text


def parse_required_text(value, what):
    text = _text(value)
    if not text:
        raise CellError(f"is empty. Every row needs {what}.")
    return text


PARSERS = {
    "sku": lambda v: parse_required_text(v, "the product's SKU"),
    "brand": lambda v: parse_required_text(v, "a brand"),
    "product": lambda v: parse_required_text(v, "the product name"),
    "form": parse_form,
    "serving_size": lambda v: parse_required_text(v, "a serving size"),
    "amount_per_serving": parse_amount,
    "servings_per_container": parse_whole_number,
    "certifications": _text,
    "merchant": lambda v: parse_required_text(v, "a merchant"),
    "affiliate_url": parse_affiliate_url,
    "in_stock": parse_in_stock,
}


# ---------------------------------------------------------------- importing


def import_offers(dataset, *, dry_run=False, user=None, at=None, progress=None):
    """Check every row of `dataset`, then create or update brands, merchants, products and offers.

    Nothing is written when any row has a problem, nor on a dry run. A price
    history row is written for every new offer and every changed price.
    `progress(done, total)` is called now and then for long files.
    """
    at = (at or timezone.now()).replace(microsecond=0)
    report = ImportReport(dry_run=dry_run)
    columns = _read_header(dataset.headers or [], report)
    if not report.problems:
        rows = _parse_rows(dataset, columns, at, report, progress)
        if not rows and not report.problems:
            report.problems.append(Problem(NO_ROWS))
    if not report.problems:
        plan = _Plan(rows, columns, report)
    if report.problems:
        # By row and column as in the spreadsheet; remarks about the whole file last.
        report.problems.sort(key=lambda p: (p.row is None, p.row or 0, len(p.letter), p.letter))
        return report
    if not dry_run:
        try:
            plan.write(user)
        except IntegrityError:
            report.problems.append(
                Problem(
                    "Another change to the same products or offers was saved while this file was being imported, "
                    "so nothing was imported. Import the file again.",
                ),
            )
        else:
            # Bulk writes send no model signals; those who cache what readers see listen to this instead.
            transaction.on_commit(partial(offers_imported.send, sender=Offer, report=report))
    if progress:
        progress(len(dataset), len(dataset))
    return report


def _read_header(headers, report):
    """Column name -> (index, the header as written, spreadsheet letter)."""
    columns = {}
    for index, header in enumerate(headers):
        written = str(header or "").strip().removeprefix("\ufeff")
        name = re.sub(r"[\s\-]+", "_", written.lower())
        letter = get_column_letter(index + 1)
        if not name:
            continue
        if name not in COLUMNS:
            report.notes.append(f"Column “{written}” ({letter}) is not one we know, so it was ignored.")
        elif name in columns:
            report.problems.append(
                Problem(
                    f"appears twice in the header row (also in column {columns[name][2]}). Keep one.",
                    1,
                    written,
                    letter,
                ),
            )
        else:
            columns[name] = (index, written, letter)
    if not columns and not report.problems:
        found = ", ".join(f"“{str(h).strip()}”" for h in headers if str(h or "").strip())
        report.problems.append(
            Problem(f"None of the names in the header row ({found}) is a column we know. {_missing_columns_hint()}", 1)
            if found
            else Problem(EMPTY_FILE),
        )
        return columns
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    report.problems.extend(Problem("is missing from the header row.", 1, name) for name in missing)
    if missing:
        report.problems.append(Problem(_missing_columns_hint()))
    return columns


def _missing_columns_hint():
    optional = ", ".join(name for name in COLUMNS if name in OPTIONAL_COLUMNS)
    return f"The first row must name the columns: {', '.join(COLUMNS)}, in any order ({optional} may be left out)."


def _parse_rows(dataset, columns, at, report, progress):
    """Each non-blank row as a dict of clean values, or problems in `report`."""
    parsed = []
    total = len(dataset)
    for position, values in enumerate(dataset):
        number = position + 2  # the header is row 1
        if progress and position % 1000 == 0:
            progress(position, total)
        if _is_blank(values):
            continue
        row, cells = {"number": number}, {}
        for name, (index, _, _) in columns.items():
            cells[name] = values[index]

        def problem(name, message, number=number):
            _, written, letter = columns.get(name, (None, name, ""))
            report.problems.append(Problem(message, number, written, letter))

        for name, parse in PARSERS.items():
            if name not in cells:
                row[name] = parse(None) if name in OPTIONAL_COLUMNS else None
                continue
            try:
                row[name] = parse(cells[name])
            except CellError as error:
                problem(name, str(error))
        price_currencies = None
        try:
            row["price"], price_currencies = parse_price(cells["price"])
        except CellError as error:
            problem("price", str(error))
        try:
            row["currency"] = parse_currency(cells["currency"], price_currencies)
            if price_currencies and row["currency"] not in price_currencies:
                problem(
                    "price",
                    f"“{_text(cells['price'])}” is written in {' or '.join(sorted(price_currencies))} "
                    f"but the currency column says {row['currency']}.",
                )
        except CellError as error:
            problem("currency", str(error))
        try:
            row["price_checked_at"] = parse_checked_at(cells.get("price_checked_at"), at)
        except CellError as error:
            problem("price_checked_at", str(error))
        if isinstance(row.get("amount_per_serving"), tuple):
            row["amount_per_serving"], row["amount_unit"] = row["amount_per_serving"]
        parsed.append(row)
    return parsed if not report.problems else []


class _Plan:
    """What the rows will change, worked out with a handful of queries for the whole file."""

    def __init__(self, rows, columns, report):
        self.report = report
        self.columns = columns
        self.rows = rows
        self.new_brands, self.new_merchants = [], []
        self.new_products, self.changed_products = [], []
        self.new_offers, self.changed_offers, self.priced_offers = [], [], []
        self.changed_product_fields, self.changed_offer_fields = set(), set()
        self.taken_slugs = {}

        brands = self._match_by_name(Brand, {row["brand"] for row in rows})
        merchants = self._match_by_name(Merchant, {row["merchant"] for row in rows})
        products = self._existing_products({row["sku"] for row in rows})
        offers = self._existing_offers([p.pk for p in products.values()])

        product_rows, seen_offers, product_changes = {}, {}, {}
        for row in rows:
            brand = brands.get(row["brand"].lower()) or self._new(Brand, brands, row["brand"], self.new_brands)
            merchant = merchants.get(row["merchant"].lower()) or self._new(
                Merchant,
                merchants,
                row["merchant"],
                self.new_merchants,
            )
            first = product_rows.setdefault(row["sku"], row)
            if first is not row:
                self._check_same_product(first, row)
            elif row["sku"] in products:
                product = products[row["sku"]]
                product_changes[row["sku"]] = self._update_product(product, brand, row)
            else:
                products[row["sku"]] = self._create_product(brand, row)
                product_changes[row["sku"]] = []
            product = products[row["sku"]]

            key = (row["sku"], merchant.name.lower())
            if key in seen_offers:
                self._problem(
                    row,
                    "merchant",
                    f"{row['sku']} at {merchant.name} is already on row {seen_offers[key]}. Give each offer one row.",
                )
                continue
            seen_offers[key] = row["number"]
            offer = offers.get((product.pk, merchant.pk)) if product.pk and merchant.pk else None
            if offer is None:
                offer = self._create_offer(product, merchant, row)
                outcome = RowOutcome(row["number"], "new", offer)
            else:
                offer.product, offer.merchant = product, merchant
                changes = product_changes[row["sku"]] + self._update_offer(offer, row)
                outcome = RowOutcome(row["number"], "updated" if changes else "unchanged", offer, changes)
            report.rows.append(outcome)

        self._validate_with_models()
        report.brands_created = len(self.new_brands)
        report.merchants_created = len(self.new_merchants)
        report.products_created = len(self.new_products)
        report.products_updated = len(self.changed_products)
        report.prices_recorded = len(self.priced_offers)

    # Matching what is already stored: one query per chunk of keys, never one per row.

    @staticmethod
    def _match_by_name(model, names):
        keys = sorted({name.lower() for name in names})
        found = {}
        for start in range(0, len(keys), QUERY_CHUNK):
            chunk = keys[start : start + QUERY_CHUNK]
            for obj in model.objects.annotate(key=Lower("name")).filter(key__in=chunk):
                found[obj.name.lower()] = obj
        return found

    @staticmethod
    def _existing_products(skus):
        skus = sorted(skus)
        found = {}
        for start in range(0, len(skus), QUERY_CHUNK):
            for product in Product.objects.select_related("brand").filter(sku__in=skus[start : start + QUERY_CHUNK]):
                found[product.sku] = product
        return found

    @staticmethod
    def _existing_offers(product_ids):
        found = {}
        for start in range(0, len(product_ids), QUERY_CHUNK):
            for offer in Offer.objects.filter(product_id__in=product_ids[start : start + QUERY_CHUNK]):
                found[(offer.product_id, offer.merchant_id)] = offer
        return found

    def _new(self, model, known, name, new_list):
        if model not in self.taken_slugs:
            self.taken_slugs[model] = set(model.objects.values_list("slug", flat=True))
        taken = self.taken_slugs[model]
        obj = model(name=name, slug=_free_slug(slugify(name) or model.__name__.lower(), taken, 200))
        known[name.lower()] = obj
        new_list.append(obj)
        return obj

    # Products

    def _product_values(self, brand, row):
        return {
            "brand": brand,
            "name": row["product"],
            "form": row["form"],
            "serving_size": row["serving_size"],
            "amount_per_serving": row["amount_per_serving"],
            "amount_unit": row["amount_unit"],
            "servings_per_container": row["servings_per_container"],
            "certifications": row["certifications"],
        }

    def _create_product(self, brand, row):
        product = Product(sku=row["sku"], **self._product_values(brand, row))
        product._import_row = row["number"]
        self.new_products.append(product)
        return product

    def _update_product(self, product, brand, row):
        changes = []
        for name, value in self._product_values(brand, row).items():
            current = getattr(product, name)
            if current != value:
                setattr(product, name, value)
                changes.append(FIELD_COLUMNS.get(name, name))
                self.changed_product_fields.add(name)
        if changes:
            product._import_row = row["number"]
            self.changed_products.append(product)
        return changes

    def _check_same_product(self, first, row):
        for column in ["brand", "product", "form", "serving_size", "servings_per_container", "certifications"]:
            ours, theirs = row[column], first[column]
            if column == "brand":
                ours, theirs = ours.lower(), theirs.lower()
            if ours != theirs:
                self._problem(
                    row,
                    column,
                    f"says “{row[column]}” but row {first['number']} says “{first[column]}” for the same SKU "
                    f"{row['sku']}. Rows for one SKU must describe the same product.",
                )
        if (row["amount_per_serving"], row["amount_unit"]) != (first["amount_per_serving"], first["amount_unit"]):
            self._problem(
                row,
                "amount_per_serving",
                f"differs from row {first['number']} for the same SKU {row['sku']}. "
                "Rows for one SKU must describe the same product.",
            )

    # Offers

    def _offer_values(self, row):
        return {name: row[name] for name in OFFER_FIELDS}

    def _create_offer(self, product, merchant, row):
        offer = Offer(product=product, merchant=merchant, **self._offer_values(row))
        offer._import_row = row["number"]
        self.new_offers.append(offer)
        self.priced_offers.append(offer)
        return offer

    def _update_offer(self, offer, row):
        changes = []
        price_changed = (offer.price, offer.currency) != (row["price"], row["currency"])
        for name, value in self._offer_values(row).items():
            if getattr(offer, name) != value:
                setattr(offer, name, value)
                changes.append(name)
                self.changed_offer_fields.add(name)
        if changes:
            offer._import_row = row["number"]
            self.changed_offers.append(offer)
        if price_changed:
            self.priced_offers.append(offer)
        return changes

    # Checks

    def _problem(self, row, column, message):
        number = row if isinstance(row, int) else row["number"]
        _, written, letter = self.columns.get(column, (None, column, ""))
        self.report.problems.append(Problem(message, number, written, letter))

    def _validate_with_models(self):
        """The models' own field rules (lengths, choices, validators) for everything about to be written."""
        checks = [
            (self.new_brands, ["slug", "website"], "brand"),
            (self.new_merchants, ["slug"], "merchant"),
            (self.new_products + self.changed_products, ["brand", "slug", "image", "image_alt"], None),
            # parse_affiliate_url() already ran the same validator, the slowest of them.
            (self.new_offers + self.changed_offers, ["product", "merchant", "token", "affiliate_url"], None),
        ]
        for objects, exclude, column in checks:
            for obj in objects:
                try:
                    obj.clean_fields(exclude=exclude)
                except ValidationError as error:
                    row = getattr(obj, "_import_row", None) or self._first_row_naming(obj)
                    for name, messages in error.message_dict.items():
                        for message in messages:
                            self._problem(row, column or FIELD_COLUMNS.get(name, name), message)

    def _first_row_naming(self, obj):
        name = obj.name.lower()
        key = "brand" if isinstance(obj, Brand) else "merchant"
        return next(row["number"] for row in self.rows if row[key].lower() == name)

    # Writing

    @transaction.atomic
    def write(self, user):
        Brand.objects.bulk_create(self.new_brands)
        Merchant.objects.bulk_create(self.new_merchants)
        self._give_new_products_slugs()
        Product.objects.bulk_create(self.new_products, batch_size=500)
        if self.changed_products:
            Product.objects.bulk_update(self.changed_products, sorted(self.changed_product_fields), batch_size=500)
        Offer.objects.bulk_create(self.new_offers, batch_size=500)
        if self.changed_offers:
            Offer.objects.bulk_update(self.changed_offers, sorted(self.changed_offer_fields), batch_size=500)
        PriceHistory.objects.record(self.priced_offers, source=PriceHistory.Source.IMPORT, user=user)

    def _give_new_products_slugs(self):
        wanted = []
        for product in self.new_products:
            base = slugify(f"{product.brand.name} {product.name}")[:280] or slugify(product.sku) or "product"
            wanted.append((product, base, f"{base}-{slugify(product.sku)}"[:300]))
        candidates = sorted({slug for _, base, with_sku in wanted for slug in (base, with_sku)})
        taken = set()
        for start in range(0, len(candidates), QUERY_CHUNK):
            chunk = candidates[start : start + QUERY_CHUNK]
            taken.update(Product.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        for product, base, with_sku in wanted:
            product.slug = base if base not in taken else _free_slug(with_sku, taken, 300)
            taken.add(product.slug)


def _free_slug(slug, taken, max_length):
    candidate, n = slug[:max_length], 1
    while candidate in taken:
        n += 1
        candidate = f"{slug[: max_length - len(str(n)) - 1]}-{n}"
    taken.add(candidate)
    return candidate
