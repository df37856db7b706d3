"""Rows per second for a 10,000-row XLSX import, ours next to django-import-export's defaults.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--baseline-rows N] [--no-baseline] [--json FILE]

Runs on the configured database (DATABASE_URL), in a throwaway test database
created and dropped here, never the real one. Three imports of the same
sheet: into an empty catalogue, the same file again (nothing changes), and
with every price changed. Each time includes reading the file.

The library default is what a plain ModelResource does: the default instance
loader, one row at a time, no bulk writes (and no price history). It needs
two resources, products then offers, and brands and merchants created
beforehand, since its foreign-key widget only looks them up. It writes one
row at a time, so its rate hardly depends on the file's size: `make bench`
times it on a smaller file (--baseline-rows) to stay within a few minutes.
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glutasite.settings")
django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from import_export import fields, resources, widgets  # noqa: E402
from import_export.formats.base_formats import XLSX as LibraryXLSX  # noqa: E402

from products.columns import example_row  # noqa: E402
from products.importing import import_offers  # noqa: E402
from products.models import AffiliateClick, Brand, Merchant, Offer, PriceHistory, Product  # noqa: E402
from products.spreadsheets import read_dataset  # noqa: E402

MERCHANTS = ["Amazon US", "iHerb"]
BRANDS = 50


def build_xlsx(rows, price_cents):
    """One row per offer: rows / 2 products, each at two merchants, prices as number cells."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Offers")
    sheet.append(list(example_row()))
    checked = datetime(2026, 11, 20, 14, 5)
    for n in range(rows):
        product = n // len(MERCHANTS)
        sheet.append(
            [
                f"BENCH-{product:06d}",
                f"Brand {product % BRANDS}",
                f"L-Glutamine Powder {product}",
                "powder",
                "1 scoop (5 g)",
                5,
                100,
                "NSF Certified for Sport",
                MERCHANTS[n % len(MERCHANTS)],
                (price_cents + product % 500) / 100,
                "USD",
                checked,
                f"https://shop.example.com/{product}/{n % len(MERCHANTS)}?tag=bench",
                True,
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class LibraryProductResource(resources.ModelResource):
    sku = fields.Field(attribute="sku", column_name="sku")
    brand = fields.Field(attribute="brand", column_name="brand", widget=widgets.ForeignKeyWidget(Brand, "name"))
    name = fields.Field(attribute="name", column_name="product")

    class Meta:
        model = Product
        import_id_fields = ["sku"]
        fields = ["sku", "brand", "name", "form", "serving_size", "amount_per_serving", "servings_per_container"]

    def before_save_instance(self, instance, row, **kwargs):
        instance.slug = instance.slug or slugify(instance.sku)


class LibraryOfferResource(resources.ModelResource):
    product = fields.Field(attribute="product", column_name="sku", widget=widgets.ForeignKeyWidget(Product, "sku"))
    merchant = fields.Field(
        attribute="merchant",
        column_name="merchant",
        widget=widgets.ForeignKeyWidget(Merchant, "name"),
    )

    class Meta:
        model = Offer
        import_id_fields = ["product", "merchant"]
        fields = ["product", "merchant", "price", "currency", "price_checked_at", "affiliate_url", "in_stock"]


def ours(data):
    report = import_offers(read_dataset(data, "xlsx"))
    if not report.ok:
        raise SystemExit(f"our import failed: {report.problems[:5]}")


def library_default(data):
    dataset = LibraryXLSX().create_dataset(data)
    for resource in (LibraryProductResource(), LibraryOfferResource()):
        result = resource.import_data(dataset)
        if result.has_errors() or result.has_validation_errors():
            raise SystemExit("the library's import failed")


def empty_catalogue(with_brands_and_merchants=False):
    for model in (AffiliateClick, PriceHistory, Offer, Product, Brand, Merchant):
        model.objects.all().delete()
    if with_brands_and_merchants:
        Brand.objects.bulk_create(Brand(name=f"Brand {n}", slug=f"brand-{n}") for n in range(BRANDS))
        Merchant.objects.bulk_create(Merchant(name=name, slug=slugify(name)) for name in MERCHANTS)


def rows_per_second(importer, data, rows):
    start = time.perf_counter()
    importer(data)
    return rows / (time.perf_counter() - start)


def measure(importer, rows):
    first = build_xlsx(rows, 2999)
    files = [
        ("first import", first),
        ("unchanged re-import", first),
        ("all prices changed", build_xlsx(rows, 3199)),
    ]
    return {step: rows_per_second(importer, data, rows) for step, data in files}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, help="Rows for the library's default (default: --rows).")
    parser.add_argument("--no-baseline", action="store_true", help="Skip the library's default configuration.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    baseline_rows = args.baseline_rows or args.rows

    setup_test_environment()
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as folder:
        if vendor == "sqlite":
            # On disk, like the configured database, not SQLite's in-memory test default.
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        original_name = connection.settings_dict["NAME"]
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            print(f"Import of a {args.rows:,}-row XLSX on {vendor} ({Path(test_name).name}), rows per second")
            empty_catalogue()
            ours_figures = measure(ours, args.rows)
            library_figures = {}
            if not args.no_baseline:
                empty_catalogue(with_brands_and_merchants=True)
                library_figures = measure(library_default, baseline_rows)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)

    print(f"{'':<22}{'ours':>10}{'library default':>18}{'ours is':>11}")
    for step, figure in ours_figures.items():
        library = library_figures.get(step)
        library_text = f"{library:>18,.0f}{figure / library:>10.1f}x" if library else f"{'not run':>18}"
        print(f"{step:<22}{figure:>10,.0f}{library_text}")
    print("ours: read, check every row, write in bulk with price history; library: ModelResource defaults.")
    if library_figures and baseline_rows != args.rows:
        print(f"The library default was timed on a {baseline_rows:,}-row XLSX.")
    if args.json:
        figures = {"rows": args.rows, "ours": ours_figures}
        if library_figures:
            figures |= {"library_default_rows": baseline_rows, "library_default": library_figures}
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
