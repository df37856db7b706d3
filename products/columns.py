"""The spreadsheet's columns, each described once, and the header row that names them.

`COLUMNS` says of every column what staff write in it, how its cells are
read, whether the header must have it, which product or offer field it fills,
how an export writes it and an example. Everything else that lists columns
is derived from it: the import page's column table, the template download,
the header check, the row parser, the values given to products and offers,
the check that rows of one SKU agree, and the exports. A new column is one
entry here (and the model field it fills).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from openpyxl.utils import get_column_letter

from . import cells
from .cells import CellError, Cells
from .keys import normalise_key
from .models import CURRENCIES, Offer, Product
from .spreadsheets import EMPTY_FILE, Problem, echo


@dataclass(frozen=True)
class Column:
    name: str  # the header, matched ignoring capitals, spaces, hyphens and order
    help_text: str  # what to write in it, shown on the import page
    parser: Callable  # (cell, Cells) -> the value to store, or CellError; a missing optional column reads as None
    example: object  # the template's example row
    model: type[models.Model]  # Product or Offer: whose fields the value fills
    fields: tuple[str, ...] = ()  # those fields, the column's name when empty; a parser fills several with a tuple
    required: bool = True  # the header row must name it
    identifies: bool = False  # finds the stored product (sku) or offer (with merchant); an import never changes it
    export: Callable | None = None  # (product or offer) -> the cell an export writes; the field's value when None
    observed: bool = False  # seen at the row's check time: a row older than the stored check never changes it

    @property
    def model_fields(self):
        return self.fields or (self.name,)

    @property
    def names_an_object(self):
        """A brand or merchant, written by name: matched ignoring capitals, created when new."""
        return self.model._meta.get_field(self.model_fields[0]).is_relation

    def model_values(self, value):
        if len(self.model_fields) > 1:
            return dict(zip(self.model_fields, value, strict=True))
        return {self.model_fields[0]: value}

    def same(self, value, other):
        if self.names_an_object:
            return value.lower() == other.lower()
        return value == other

    def exported(self, obj):
        if self.export:
            return self.export(obj)
        value = getattr(obj, self.model_fields[0])
        return value.name if self.names_an_object else value


COLUMNS = (
    Column(
        "sku",
        "Your catalogue's code for the product. Products are matched on it.",
        cells.parse_sku,
        "NOW-GLN-500",
        Product,
        identifies=True,
    ),
    Column(
        "brand",
        "The brand as on the label. A new brand is created; matched ignoring capitals.",
        cells.required_key("a brand"),
        "NOW Foods",
        Product,
    ),
    Column(
        "product",
        "The product name as on the label, without the brand.",
        cells.required_text("the product name"),
        "L-Glutamine Powder",
        Product,
        fields=("name",),
    ),
    Column(
        "form",
        "One of: capsule, tablet, softgel, powder, liquid, gummy, other.",
        cells.parse_form,
        "powder",
        Product,
    ),
    Column(
        "serving_size",
        "As on the label, e.g. “1 scoop (5 g)” or “2 capsules”.",
        cells.required_text("a serving size"),
        "1 level teaspoon (5 g)",
        Product,
    ),
    Column(
        "amount_per_serving",
        "What one serving holds, with its unit: 5 g, 500 mg, 10 mcg. Grams if no unit.",
        cells.parse_amount,
        "5 g",
        Product,
        fields=("amount_per_serving", "amount_unit"),
        export=lambda product: product.dose_per_serving,
    ),
    Column(
        "servings_per_container",
        "A whole number, 1 or more.",
        cells.parse_whole_number,
        100,
        Product,
    ),
    Column(
        "certifications",
        "Testing seals separated by semicolons: “NSF Certified for Sport; Informed Sport”.",
        cells.text,
        "Informed Choice",
        Product,
        required=False,
    ),
    Column(
        "merchant",
        "The shop, e.g. “Amazon US”. A new merchant is created with a 24-hour price freshness limit.",
        cells.required_key("a merchant"),
        "Amazon US",
        Offer,
        identifies=True,
    ),
    Column(
        "price",
        "The price at that shop: 29.99, $29.99 and 29,99 € all work. Not negative.",
        cells.parse_price,
        "29.99",
        Offer,
        observed=True,
    ),
    Column(
        "currency",
        f"The three-letter code: {', '.join(CURRENCIES)}.",
        cells.parse_currency,
        "USD",
        Offer,
        observed=True,
    ),
    Column(
        "price_checked_at",
        "When the price was seen, e.g. 2026-11-20 14:05 or a date cell. Empty means now.",
        cells.parse_checked_at,
        "2026-11-20 14:05",
        Offer,
        required=False,
        export=lambda offer: timezone.localtime(offer.price_checked_at).isoformat(),
        observed=True,
    ),
    Column(
        "affiliate_url",
        "The shop's https:// address with your tracking code.",
        cells.parse_affiliate_url,
        "https://www.amazon.com/dp/B0013OXKHC?tag=glutasite-20",
        Offer,
    ),
    Column(
        "in_stock",
        "yes or no; empty means yes.",
        cells.parse_in_stock,
        "yes",
        Offer,
        required=False,
        export=lambda offer: "yes" if offer.in_stock else "no",
        observed=True,
    ),
)


def columns_of(model):
    return [column for column in COLUMNS if column.model is model]


def example_row():
    """Column name -> the example, in the template's order."""
    return {column.name: column.example for column in COLUMNS}


def column_filling(model, field_name):
    """The column to blame when the model's own validation refuses one of its fields."""
    return next((column.name for column in columns_of(model) if field_name in column.model_fields), field_name)


def missing_columns_hint():
    names = ", ".join(column.name for column in COLUMNS)
    optional = ", ".join(column.name for column in COLUMNS if not column.required)
    return f"The first row must name the columns: {names}, in any order ({optional} may be left out)."


def header_key(header):
    """A header as matched: ignoring capitals, spaces, hyphens and invisible characters."""
    return re.sub(r"[\s\-]+", "_", normalise_key(header).lower())


def names_a_column(headers):
    """Whether a row could be the header: it names a column we know. Picks a workbook's sheet."""
    known = {column.name for column in COLUMNS}
    return any(header_key(header) in known for header in headers if isinstance(header, str))


class Header:
    """The header row: where each known column is, and what is wrong with the row itself."""

    def __init__(self, headers, row=1):
        self.row = row  # the header's row number in the spreadsheet
        self.found = {}  # column name -> (index, the header as written, spreadsheet letter)
        self.problems, self.notes = [], []
        known = {column.name for column in COLUMNS}
        for index, header in enumerate(headers):
            written = normalise_key(header)
            name = header_key(written)
            letter = get_column_letter(index + 1)
            if not name:
                continue
            if name not in known:
                self.notes.append(f"Column “{echo(written)}” ({letter}) is not one we know, so it was ignored.")
            elif name in self.found:
                message = f"appears twice in the header row (also in column {self.found[name][2]}). Keep one."
                self.problems.append(Problem(message, row, written, letter))
            else:
                self.found[name] = (index, written, letter)
        if not self.found and not self.problems:
            named = ", ".join(f"“{echo(normalise_key(h))}”" for h in headers[:20] if normalise_key(h))
            unknown = f"None of the names in the header row ({named}) is a column we know. {missing_columns_hint()}"
            self.problems.append(Problem(unknown, row) if named else Problem(EMPTY_FILE))
            return
        missing = [column.name for column in COLUMNS if column.required and column.name not in self.found]
        self.problems.extend(Problem("is missing from the header row.", row, name) for name in missing)
        if missing:
            self.problems.append(Problem(missing_columns_hint()))

    def problem(self, row, name, message):
        """A problem in row `row` (as numbered in the spreadsheet) of column `name`, named as written."""
        _, written, letter = self.found.get(name, (None, name, ""))
        return Problem(message, row, written, letter)

    def repeats_header(self, values):
        """Whether a row under the header names the columns again, as where two exports were joined."""
        return all(header_key(values[index]) == name for name, (index, _, _) in self.found.items())

    def parse_row(self, number, values, at):
        """Spreadsheet row `number` as column name -> clean value, and its problems."""
        row_cells = Cells({name: values[index] for name, (index, _, _) in self.found.items()}, at)
        row, problems = {"number": number}, []
        for column in COLUMNS:
            try:
                row[column.name] = column.parser(row_cells.get(column.name), row_cells)
            except CellError as error:
                problems.append(self.problem(number, column.name, str(error)))
        return row, problems
