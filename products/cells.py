"""Reading one spreadsheet cell into a clean value, as people and spreadsheets write it.

Every parser is `parse(value, cells)`: the cell as read (text, a number, a
date, a boolean or None) and the row's `Cells`, for the few rules that look
beyond their own cell (a price's symbol names its currency; an empty check
time means the time of the import). A parser returns the value to store or
raises `CellError` with a message that reads after “Row 3, column “price” (J): ”.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .keys import normalise_key, sku_problem
from .models import CLOCK_SKEW, CURRENCIES, HTTPS_URL_VALIDATOR, Offer, Product
from .spreadsheets import Formula, echo

# A spreadsheet treats a cell starting with one of these as a formula. Exports
# put an apostrophe before them; imports take that apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AFFILIATE_URL_LENGTH = Offer._meta.get_field("affiliate_url").max_length


class CellError(Exception):
    pass


@dataclass(frozen=True)
class Cells:
    """One row's cells as read, by column name, and the time of the import."""

    values: dict
    at: datetime

    def get(self, name):
        return self.values.get(name)


def text(value, cells=None):
    """The cell as text: “100” for a number cell holding 100.0, without an export's formula apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        raise CellError(
            f"holds the formula “{echo(value)}”, which was never calculated, so the file has no value for it. "
            "Open the file in Excel or LibreOffice, let it calculate (or paste the column as values), save and "
            "import again.",
        )
    if isinstance(value, float):
        # As a spreadsheet shows it: 100 for 100.0, 0.3 for 0.1 + 0.2, 1e+30 rather than 31 digits.
        value = int(value) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    elif (
        isinstance(value, Decimal)
        and value.is_finite()
        and value.adjusted() < 20
        and value == value.to_integral_value()
    ):
        value = value.quantize(Decimal(1))
    written = str(value).strip()
    if len(written) > 1 and written[0] == "'" and written[1] in FORMULA_STARTS:
        written = written[1:]
    return written


def required_text(what):
    """A parser for text every row must have; `what` finishes “Every row needs …”."""

    def parse(value, cells=None):
        written = text(value)
        if not written:
            raise CellError(f"is empty. Every row needs {what}.")
        return written

    return parse


def required_key(what):
    """Like `required_text`, for a name matched ignoring capitals (brand, merchant): one spelling of what
    looks the same, without invisible characters or doubled spaces."""
    parse_text = required_text(what)
    return lambda value, cells=None: parse_text(normalise_key(text(value)))


def parse_sku(value, cells=None):
    sku = required_key("the product's SKU")(value)
    problem = sku_problem(sku)
    if problem:
        raise CellError(problem)
    return sku


def cell_number(value):
    """A number cell (int, float or Decimal) as a Decimal, a float read to the 15 digits spreadsheets keep
    (so 0.1 + 0.2 is 0.3); None for a cell that is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise CellError(f"“{value}” is not a number.")
    return number


def read_number(written, *, decimals, shown=None):
    """`written` (digits with points, commas, spaces or apostrophes) as a Decimal, or a CellError saying why
    not. Thousands may be grouped (1,299.00, 1.299,00, 1 299,00, 1'299.00); a lone separator with three
    digits after it (29,990) could be either, and is refused rather than guessed."""
    compact = re.sub(r"[\s'’]", "", written)
    shown = echo(shown or written)
    unreadable = CellError(
        f"“{shown}” is not a number we can read: points and commas may separate thousands in groups of "
        "three (1,299.00) or the decimals (29,99), nothing else.",
    )
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", compact):
        raise unreadable
    separators = set(re.sub(r"\d", "", compact))
    if len(separators) == 2:
        point = "." if compact.rfind(".") > compact.rfind(",") else ","
        grouping, _, fraction = compact.rpartition(point)
        thousands = "," if point == "." else "."
        if not fraction or not _grouped(grouping, thousands):
            raise unreadable
        return Decimal(f"{grouping.replace(thousands, '')}.{fraction}")
    if not separators:
        return Decimal(compact)
    (separator,) = separators
    whole, _, fraction = compact.rpartition(separator)
    if compact.count(separator) > 1:
        if not _grouped(compact, separator):
            raise unreadable
        return Decimal(compact.replace(separator, ""))
    if not fraction:
        raise unreadable
    if len(fraction) == 3 and _grouped(compact, separator):
        as_decimal, as_whole = Decimal(f"{whole}.{fraction}"), Decimal(whole + fraction)
        fits = as_decimal.normalize()
        suggestions = [f"{fits:.{decimals}f}" if -fits.as_tuple().exponent <= decimals else None, f"{as_whole}"]
        raise CellError(
            f"“{shown}” could be {as_decimal} or {as_whole}; write {' or '.join(s for s in suggestions if s)}.",
        )
    return Decimal(f"{whole or '0'}.{fraction}")


def _grouped(number, separator):
    """1,299 or 12,345,678: a first group of one to three digits, then groups of three."""
    return re.fullmatch(rf"[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+", number) is not None


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
NOT_A_PRICE = "“{}” is not a price. Write it like 29.99, $29.99 or 29,99 €."


def read_price(value):
    """The price and, when it is written with a symbol or code, the currencies that symbol can mean.

    A number cell and the same number written as text mean the same: more than two decimals is refused
    in both, never rounded."""
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a price. Write it like 29.99.")
    price, currencies = cell_number(value), None
    if price is None:
        written = text(value)
        if not written:
            raise CellError("is empty. Every offer needs a price, like 29.99.")
        negative = bool(re.search(r"[-−]", written)) or (written.startswith("(") and written.endswith(")"))
        marker = re.sub(r"[\d.,\s'’()\-−]", "", written).upper()
        currencies = CURRENCY_MARKERS.get(marker) if marker else None
        number = re.sub(r"[^\d.,\s'’]", "", written).strip()
        if (marker and currencies is None) or not re.search(r"\d", number):
            raise CellError(NOT_A_PRICE.format(echo(written)))
        price = read_number(number, decimals=2, shown=written)
        if negative and price:
            price = -price
    shown = echo(text(value))
    if price >= Decimal("100000000") or price <= Decimal("-100000000"):
        raise CellError(f"“{shown}” is too large for a price.")
    if price < 0:
        raise CellError(f"“{shown}” is negative. A price must be 0 or more.")
    if price.normalize().as_tuple().exponent < -2:
        raise CellError(f"“{shown}” has more than two decimal places. Round it to cents, like 29.99.")
    return price.quantize(Decimal("0.01")), currencies


def _currencies_written_in(price_cell):
    try:
        return read_price(price_cell)[1]
    except CellError:
        return None


def parse_price(value, cells):
    price, currencies = read_price(value)
    code = text(cells.get("currency")).upper()
    if currencies and code in CURRENCIES and code not in currencies:
        raise CellError(
            f"“{echo(text(value))}” is written in {' or '.join(sorted(currencies))} but the currency column says "
            f"{echo(code)}.",
        )
    return price


def parse_currency(value, cells):
    """The currency code; when the cell is empty, the one currency the price's symbol names."""
    code = text(value).upper()
    if not code:
        currencies = _currencies_written_in(cells.get("price"))
        if currencies and len(currencies) == 1:
            return next(iter(currencies))
        raise CellError("is empty. Write the three-letter currency code, such as USD or EUR.")
    if code not in CURRENCIES:
        raise CellError(f"“{echo(text(value))}” is not a currency code we know. Use one of: {', '.join(CURRENCIES)}.")
    return code


def parse_amount(value, cells=None):
    """The amount and its unit, grams when none is written."""
    amount, unit = cell_number(value), ""
    if amount is None:
        written = text(value)
        match = re.fullmatch(r"([\d.,\s]+?)\s*([a-zA-Zµμ]*)", written)
        if not written:
            raise CellError("is empty. Write how much one serving holds, like 5 g or 500 mg.")
        if not match:
            raise CellError(f"“{echo(written)}” is not an amount. Write it like 5 g, 500 mg or 10 mcg.")
        try:
            amount, unit = read_number(match.group(1), decimals=3), match.group(2)
        except CellError as error:
            if "could be" in str(error):
                raise
            raise CellError(f"“{echo(written)}” is not an amount. Write it like 5 g, 500 mg or 10 mcg.") from None
    units = {u.lower(): u for u in Product.Unit.values} | {"µg": "mcg", "μg": "mcg", "ug": "mcg", "": "g"}
    if unit.lower() not in units:
        raise CellError(f"“{echo(unit)}” is not a unit we know. Use one of: {', '.join(Product.Unit.values)}.")
    if amount.normalize().as_tuple().exponent < -3:
        raise CellError(f"“{echo(text(value))}” has more than three decimal places.")
    return amount, units[unit.lower()]


def parse_whole_number(value, cells=None):
    written = text(value)
    if not written:
        raise CellError("is empty. Write how many servings the container holds, like 60.")
    number = cell_number(value)
    if number is None:
        try:
            number = read_number(written, decimals=0)
        except CellError as error:
            if "could be" in str(error):
                raise
            raise CellError(f"“{echo(written)}” is not a whole number.") from None
    if number != int(number) or number < 1:
        raise CellError(f"“{echo(written)}” is not a whole number of servings, 1 or more.")
    return int(number)


FORM_NAMES = {choice.lower(): value for value, choice in Product.Form.choices} | {
    value: value for value in Product.Form.values
}
FORM_NAMES |= {f"{name}s": value for name, value in list(FORM_NAMES.items())} | {"gummies": "gummy"}


def parse_form(value, cells=None):
    written = text(value)
    if not written:
        raise CellError(f"is empty. Write one of: {', '.join(Product.Form.values)}.")
    try:
        return FORM_NAMES[written.lower()]
    except KeyError:
        raise CellError(
            f"“{echo(written)}” is not a product form. Use one of: {', '.join(Product.Form.values)}."
        ) from None


YES = {"yes", "y", "true", "1", "in stock", "available", "x", "✓"}
NO = {"no", "n", "false", "0", "out of stock", "sold out", "unavailable"}


def parse_in_stock(value, cells=None):
    if isinstance(value, bool):
        return value
    written = text(value).lower()
    if not written or written in YES:
        return True
    if written in NO:
        return False
    raise CellError(f"“{echo(text(value))}” is not yes or no.")


def parse_checked_at(value, cells):
    """A datetime from a date cell, an ISO date or “2026-11-20 14:05”; the time of the import when empty."""
    at = cells.at
    if value is None or (isinstance(value, str) and not value.strip()):
        return at
    if isinstance(value, datetime):
        checked_at = value
    elif isinstance(value, date):
        checked_at = datetime.combine(value, time.min)
    else:
        written = text(value)
        hint = f"“{echo(written)}” is not a date and time. Write it like 2026-11-20 14:05, or use a date cell."
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            raise CellError(hint)
        try:
            checked_at = parse_datetime(written.replace("/", "-")) or parse_date(written.replace("/", "-"))
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


def parse_affiliate_url(value, cells=None):
    written = text(value)
    if not written:
        raise CellError("is empty. Every offer needs the shop's https:// address.")
    if len(written) > AFFILIATE_URL_LENGTH:
        raise CellError(f"is {len(written)} characters long; at most {AFFILIATE_URL_LENGTH} fit.")
    try:
        HTTPS_URL_VALIDATOR(written)
    except ValidationError:
        if written.lower().startswith("http://"):
            raise CellError(f"“{echo(written)}” is not secure. Affiliate links must start with https://.") from None
        raise CellError(
            f"“{echo(written)}” is not a web address. Write the full address starting with https://."
        ) from None
    return written
