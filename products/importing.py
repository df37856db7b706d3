"""Importing products and their offers from a spreadsheet, one row per offer: plan, then write.

`import_offers()` takes the rows `spreadsheets.read_dataset()` read, checks
every cell through the column registry (`columns.py`), works out with a
handful of queries what each row would create or change, and then writes all
of it in one transaction, or nothing when any row has a problem or on a dry
run. The admin's preview is a dry run of the same call that its confirm then
makes for real, and `manage.py import_products` calls it too, so both accept
and refuse the same files. After a write, `signals.offers_imported` is sent.
"""

from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from .columns import Header, column_filling, columns_of
from .models import Brand, Merchant, Offer, PriceHistory, Product
from .signals import offers_imported
from .spreadsheets import NO_ROWS, Problem, is_blank

QUERY_CHUNK = 2000
RACE = (
    "Another change to the same products or offers was saved while this file was being imported, "
    "so nothing was imported. Import the file again."
)


@dataclass
class Outcome:
    """What the import does with one row: a new offer, an updated one or one left unchanged."""

    number: int  # as in the spreadsheet, the header being row 1
    action: str  # "new", "updated" or "unchanged"
    object: Offer
    changes: list = field(default_factory=list)  # the columns whose values change


@dataclass
class ImportReport:
    dry_run: bool
    outcomes: list = field(default_factory=list)
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
        for outcome in self.outcomes:
            counts[outcome.action] += 1
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


def import_offers(dataset, *, dry_run=False, user=None, at=None, progress=None):
    """Check every row of `dataset`, then create or update brands, merchants, products and offers.

    Nothing is written when any row has a problem, nor on a dry run. A price
    history row is written for every new offer and every changed price.
    `progress(done, total)` is called now and then for long files.
    """
    at = (at or timezone.now()).replace(microsecond=0)
    report = ImportReport(dry_run=dry_run)
    header = Header(dataset.headers or [])
    report.problems.extend(header.problems)
    report.notes.extend(header.notes)
    if not report.problems:
        rows = _parse_rows(dataset, header, at, report, progress)
        if not rows and not report.problems:
            report.problems.append(Problem(NO_ROWS))
    if not report.problems:
        plan = _Plan(rows, header, report)
    if report.problems:
        # By row and column as in the spreadsheet; remarks about the whole file last.
        report.problems.sort(key=lambda p: (p.row is None, p.row or 0, len(p.letter), p.letter))
        return report
    if not dry_run:
        try:
            plan.write(user)
        except IntegrityError:
            report.problems.append(Problem(RACE))
        else:
            # Bulk writes send no model signals; those who cache what readers see listen to this instead.
            transaction.on_commit(partial(offers_imported.send, sender=Offer, report=report))
    if progress:
        progress(len(dataset), len(dataset))
    return report


def _parse_rows(dataset, header, at, report, progress):
    """Each non-blank row as a dict of clean values, or problems in `report`."""
    parsed = []
    total = len(dataset)
    for position, values in enumerate(dataset):
        if progress and position % 1000 == 0:
            progress(position, total)
        if is_blank(values):
            continue
        row, problems = header.parse_row(position + 2, values, at)  # the header is row 1
        report.problems.extend(problems)
        parsed.append(row)
    return parsed if not report.problems else []


class _Plan:
    """What the rows will change, worked out with a handful of queries for the whole file."""

    def __init__(self, rows, header, report):
        self.report = report
        self.header = header
        self.rows = rows
        self.new_brands, self.new_merchants = [], []
        self.new_products, self.changed_products = [], []
        self.new_offers, self.changed_offers, self.priced_offers = [], [], []
        self.changed_product_fields, self.changed_offer_fields = set(), set()
        self.taken_slugs = {}
        # The columns an import may change, read from the registry once per file.
        self.columns = {model: [c for c in columns_of(model) if not c.identifies] for model in (Product, Offer)}

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
                outcome = Outcome(row["number"], "new", offer)
            else:
                offer.product, offer.merchant = product, merchant
                changes = product_changes[row["sku"]] + self._update_offer(offer, row)
                outcome = Outcome(row["number"], "updated" if changes else "unchanged", offer, changes)
            report.outcomes.append(outcome)

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

    # Products and offers take their values from the column registry.

    def _values(self, model, row, **named):
        """The fields `model`'s columns fill from `row`, a brand as the object its name found."""
        values = {}
        for column in self.columns[model]:
            values |= column.model_values(named.get(column.name, row[column.name]))
        return values

    def _update(self, obj, values, changed_fields):
        """Set the values that differ; the columns they came from, for the preview."""
        changes = []
        for column in self.columns[type(obj)]:
            for name in column.model_fields:
                if getattr(obj, name) != values[name]:
                    setattr(obj, name, values[name])
                    changed_fields.add(name)
                    if column.name not in changes:
                        changes.append(column.name)
        return changes

    def _create_product(self, brand, row):
        product = Product(sku=row["sku"], **self._values(Product, row, brand=brand))
        product._import_row = row["number"]
        self.new_products.append(product)
        return product

    def _update_product(self, product, brand, row):
        changes = self._update(product, self._values(Product, row, brand=brand), self.changed_product_fields)
        if changes:
            product._import_row = row["number"]
            self.changed_products.append(product)
        return changes

    def _check_same_product(self, first, row):
        for column in self.columns[Product]:
            ours, theirs = row[column.name], first[column.name]
            if column.same(ours, theirs):
                continue
            if len(column.model_fields) > 1:  # a parsed amount and unit read badly quoted back
                message = f"differs from row {first['number']} for the same SKU {row['sku']}. "
            else:
                message = f"says “{ours}” but row {first['number']} says “{theirs}” for the same SKU {row['sku']}. "
            self._problem(row, column.name, message + "Rows for one SKU must describe the same product.")

    def _create_offer(self, product, merchant, row):
        offer = Offer(product=product, merchant=merchant, **self._values(Offer, row))
        offer._import_row = row["number"]
        self.new_offers.append(offer)
        self.priced_offers.append(offer)
        return offer

    def _update_offer(self, offer, row):
        price_changed = (offer.price, offer.currency) != (row["price"], row["currency"])
        changes = self._update(offer, self._values(Offer, row), self.changed_offer_fields)
        if changes:
            offer._import_row = row["number"]
            self.changed_offers.append(offer)
        if price_changed:
            self.priced_offers.append(offer)
        return changes

    # Checks

    def _problem(self, row, column, message):
        number = row if isinstance(row, int) else row["number"]
        self.report.problems.append(self.header.problem(number, column, message))

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
                            self._problem(row, column or column_filling(type(obj), name), message)

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
