"""Reading a price feed into rows: Google Merchant Center (TSV or XML) and any CSV with a column mapping.

Each row says which product it is (`id`, the merchant's product id, or a
SKU), its price and currency as written, and whether it can be bought now.
Feeds in our own import columns need none of this: the importer reads them.
"""

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .spreadsheets import ImportFileError

GOOGLE_NAMESPACE = "{http://base.google.com/ns/1.0}"
BUYABLE = {"in stock", "in_stock", "instock", "yes", "y", "true", "1", "available", "limited availability"}
NOT_BUYABLE = {"out of stock", "out_of_stock", "outofstock", "no", "n", "false", "0", "preorder", "backorder", ""}
MAPPED_FIELDS = ("id", "price", "currency", "availability", "sale_price")


@dataclass(frozen=True)
class FeedRow:
    number: int  # the row or item as the merchant would count it, for messages
    id: str
    price: str
    currency: str
    in_stock: bool


def decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def split_price(text):
    """“29.99 USD” as ("29.99", "USD"); a price without a code keeps an empty currency."""
    amount, _, code = text.strip().rpartition(" ")
    if amount and len(code) == 3 and code.isalpha():
        return amount.strip(), code.upper()
    return text.strip(), ""


def in_stock(text, number):
    word = text.strip().lower()
    if word in BUYABLE:
        return True
    if word in NOT_BUYABLE:
        return False
    raise ImportFileError(f"Row {number}: availability “{text}” is not one we know (in stock, out of stock, …).")


def google_rows(data):
    if data.lstrip()[:1] == b"<":
        return _google_xml(data)
    return _google_tsv(data)


def _google_row(number, fields):
    price, currency = split_price(fields.get("sale_price") or fields.get("price") or "")
    return FeedRow(
        number, fields.get("id", "").strip(), price, currency, in_stock(fields.get("availability", ""), number)
    )


def _google_tsv(data):
    reader = csv.DictReader(io.StringIO(decode(data), newline=""), delimiter="\t")
    if not reader.fieldnames or "id" not in reader.fieldnames or "price" not in reader.fieldnames:
        raise ImportFileError("This is not a Google Merchant Center TSV: its first row has no “id” and “price”.")
    return [_google_row(number, row) for number, row in enumerate(reader, start=2)]


def _google_xml(data):
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportFileError(f"The feed is not readable XML: {error}.") from None
    items = root.iter("item") if root.find(".//item") is not None else root.iter("{http://www.w3.org/2005/Atom}entry")
    rows = []
    for number, item in enumerate(items, start=1):
        fields = {child.tag.removeprefix(GOOGLE_NAMESPACE): (child.text or "") for child in item}
        rows.append(_google_row(number, fields))
    if not rows:
        raise ImportFileError("The XML feed has no <item> or <entry> with g:id and g:price.")
    return rows


def mapped_rows(data, mapping):
    """Any CSV: `mapping` names, for each of MAPPED_FIELDS, the feed's column holding it."""
    for needed in ("id", "price"):
        if not mapping.get(needed):
            raise ImportFileError(f"The feed's column mapping does not say which column holds “{needed}”.")
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=max([",", ";", "\t", "|"], key=first_line.count))
    missing = [column for column in mapping.values() if column and column not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(f"The feed has no column {', '.join(f'“{name}”' for name in missing)} the mapping names.")
    rows = []
    for number, row in enumerate(reader, start=2):
        fields = {ours: row.get(theirs, "") for ours, theirs in mapping.items() if ours in MAPPED_FIELDS and theirs}
        price, currency = split_price(fields.get("sale_price") or fields["price"])
        availability = fields.get("availability", "in stock") if "availability" in mapping else "in stock"
        rows.append(
            FeedRow(
                number, fields["id"].strip(), price, fields.get("currency") or currency, in_stock(availability, number)
            ),
        )
    return rows
