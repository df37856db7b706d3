"""The plan of an import: what a file's rows create and change, worked out in a handful of queries.

`Plan` matches the rows to stored brands, merchants, products and offers
(locking the products and offers, in key order, for a real import), sets
every price through `Offer.observe_price`, checks the result with the models'
own field rules, and `write()`s it with bulk queries and history entries.
`importing.import_offers()` runs it; this module holds no transaction of its own.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .columns import COLUMNS, column_filling, columns_of
from .models import Brand, Merchant, Offer, PriceHistory, PriceObservation, Product

QUERY_CHUNK = 2000
# Waiting for another import's locks may outlast a statement or lock timeout: the import is then planned
# again, like after a deadlock, instead of failing as if the database were down.
LOCK_WAIT_ENDED = {"57014", "55P03"}  # query_canceled, lock_not_available


class RowsBusy(Exception):
    """Another import held the rows this one wanted for longer than the database lets a query wait."""


@dataclass
class Outcome:
    """What the import does with one row: a new offer, an updated one or one left unchanged."""

    number: int  # as in the spreadsheet
    action: str  # "new", "updated" or "unchanged"
    object: Offer
    changes: list = field(default_factory=list)  # the columns whose values change
    older: PriceObservation | None = None  # the row's price, when a newer one is stored
    kept: str = ""  # then: what was kept, for the preview


class Plan:
    """What the rows will change, worked out with a handful of queries for the whole file."""

    def __init__(self, rows, header, *, lock=False):
        self.header = header
        self.rows = rows
        self.lock = lock
        self.problems, self.outcomes, self.observations = [], [], []
        self.new_brands, self.new_merchants = [], []
        self.new_products, self.changed_products = [], []
        self.new_offers, self.changed_offers = [], []
        self.changed_product_fields, self.changed_offer_fields = set(), set()
        self.taken_slugs = {}
        # The columns an import may change, read from the registry once per file.
        self.columns = {model: [c for c in columns_of(model) if not c.identifies] for model in (Product, Offer)}
        self.observed_fields = {name for c in COLUMNS if c.observed for name in c.model_fields}

        brands = self._match_by_name(Brand, {row["brand"] for row in rows})
        merchants = self._match_by_name(Merchant, {row["merchant"] for row in rows})
        products = self._existing_products({row["sku"] for row in rows})
        offers = self._existing_offers(sorted(p.pk for p in products.values()))

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
                self.outcomes.append(Outcome(row["number"], "new", offer))
            else:
                offer.product, offer.merchant = product, merchant
                changes, older = self._update_offer(offer, row)
                action = "updated" if product_changes[row["sku"]] or changes else "unchanged"
                self.outcomes.append(
                    Outcome(row["number"], action, offer, product_changes[row["sku"]] + changes, older)
                )

        self._validate_with_models()
        self._word_older_observations()

    def fill(self, report):
        report.outcomes = self.outcomes
        report.problems.extend(self.problems)
        report.brands_created = len(self.new_brands)
        report.merchants_created = len(self.new_merchants)
        report.products_created = len(self.new_products)
        report.products_updated = len(self.changed_products)
        report.prices_recorded = sum(1 for seen in self.observations if seen.current and seen.recorded)
        report.older_prices = sum(1 for seen in self.observations if not seen.current)

    # Matching what is already stored: one query per chunk of keys, never one per row. A real import
    # locks the products and offers it matched, in key order, until it commits.

    @staticmethod
    def _match_by_name(model, names):
        keys = sorted({name.lower() for name in names})
        found = {}
        for start in range(0, len(keys), QUERY_CHUNK):
            chunk = keys[start : start + QUERY_CHUNK]
            for obj in model.objects.annotate(key=Lower("name")).filter(key__in=chunk):
                found[obj.name.lower()] = obj
        return found

    def _existing_products(self, skus):
        skus = sorted(skus)
        found = {}
        stored = Product.objects.select_related("brand").order_by("sku")
        if self.lock:
            stored = stored.select_for_update(of=("self",))
        for start in range(0, len(skus), QUERY_CHUNK):
            for product in _waiting(stored.filter(sku__in=skus[start : start + QUERY_CHUNK])):
                found[product.sku] = product
        return found

    def _existing_offers(self, product_ids):
        found = {}
        stored = Offer.objects.order_by("product_id", "merchant_id")
        if self.lock:
            stored = stored.select_for_update()
        for start in range(0, len(product_ids), QUERY_CHUNK):
            for offer in _waiting(stored.filter(product_id__in=product_ids[start : start + QUERY_CHUNK])):
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

    def _update(self, obj, values, changed_fields, before=None):
        """Set the values that differ from `before` (the object's own when None); the columns they came
        from, for the preview."""
        changes = []
        for column in self.columns[type(obj)]:
            for name in column.model_fields:
                if name in values and (before or {}).get(name, getattr(obj, name)) != values[name]:
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
        self.observations.append(offer.observe_price(offer.price, offer.currency, offer.price_checked_at))
        return offer

    def _update_offer(self, offer, row):
        """The columns that change, and the observation when it is older than the stored price."""
        before = {name: getattr(offer, name) for name in self.observed_fields}
        seen = offer.observe_price(row["price"], row["currency"], row["price_checked_at"])
        values = self._values(Offer, row)
        if not seen.current:  # what was seen at an older time changes nothing seen since
            values = {name: value for name, value in values.items() if name not in self.observed_fields}
        changes = self._update(offer, values, self.changed_offer_fields, before)
        if changes:
            offer._import_row = row["number"]
            self.changed_offers.append(offer)
        if seen.recorded:
            self.observations.append(seen)
        return changes, seen if not seen.current else None

    def _word_older_observations(self):
        """The preview's sentence for each row kept for a newer price, saying whether the history has it."""
        older = [outcome for outcome in self.outcomes if outcome.older]
        recorded = set()
        ids = sorted({outcome.object.pk for outcome in older})
        times = [outcome.older.checked_at for outcome in older]
        for start in range(0, len(ids), QUERY_CHUNK):
            recorded.update(
                PriceHistory.objects.filter(
                    offer_id__in=ids[start : start + QUERY_CHUNK],
                    checked_at__range=(min(times), max(times)),
                ).values_list("offer_id", "checked_at", "price", "currency"),
            )
        for outcome in older:
            seen = outcome.older
            outcome.kept = seen.describe(
                recorded_before=(seen.offer.pk, seen.checked_at, seen.price, seen.currency) in recorded
            )

    # Checks

    def _problem(self, row, column, message):
        number = row if isinstance(row, int) else row["number"]
        self.problems.append(self.header.problem(number, column, message))

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

    def write(self, *, user, reason):
        """Everything planned, in the caller's transaction; new rows in key order, so that two imports
        creating the same ones meet on the first and do not deadlock."""
        history = {"default_user": user, "default_change_reason": reason, "default_date": timezone.now()}
        Brand.objects.bulk_create(sorted(self.new_brands, key=lambda brand: brand.slug))
        Merchant.objects.bulk_create(sorted(self.new_merchants, key=lambda merchant: merchant.slug))
        self._give_new_products_slugs()
        if self.new_products:
            self.new_products.sort(key=lambda product: product.sku)
            bulk_create_with_history(self.new_products, Product, batch_size=500, **history)
        if self.changed_products:
            fields = sorted(self.changed_product_fields)
            bulk_update_with_history(self.changed_products, Product, fields, batch_size=500, **history)
        if self.new_offers:
            self.new_offers.sort(key=lambda offer: (offer.product.pk, offer.merchant.pk))
            bulk_create_with_history(self.new_offers, Offer, batch_size=500, **history)
        if self.changed_offers:
            fields = sorted(self.changed_offer_fields)
            bulk_update_with_history(self.changed_offers, Offer, fields, batch_size=500, **history)
        PriceHistory.objects.record(self.observations, source=PriceHistory.Source.IMPORT, user=user)

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


def _waiting(queryset):
    """The rows of `queryset`, raising RowsBusy when waiting for their locks ended in a timeout."""
    try:
        return list(queryset)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) in LOCK_WAIT_ENDED:
            raise RowsBusy from error
        raise


def _free_slug(slug, taken, max_length):
    candidate, n = slug[:max_length], 1
    while candidate in taken:
        n += 1
        candidate = f"{slug[: max_length - len(str(n)) - 1]}-{n}"
    taken.add(candidate)
    return candidate
