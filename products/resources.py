"""Import and export resources for the admin.

Imports go through `importing.import_offers`, the same function as
`manage.py import_products`: the library's row-by-row loader would make
queries per row, commit valid rows beside invalid ones and skip the price
history. The result is handed back in the library's `Result` shape so its
admin views (upload, preview, confirm, log entries) work unchanged.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, resources
from import_export.results import Result, RowResult

from .columns import COLUMNS
from .importing import import_offers
from .models import Offer, Product

NAMES = [column.name for column in COLUMNS]
ROW_STATUS = {"new": RowResult.IMPORT_TYPE_NEW, "updated": RowResult.IMPORT_TYPE_UPDATE}


class OfferImportResult(Result):
    """The library's result, carrying our report for the preview page."""

    def __init__(self, report):
        super().__init__()
        self.report = report
        self.diff_headers = NAMES
        for problem in report.problems:
            # The library only looks at these to decide that nothing may be confirmed.
            self.append_invalid_row(problem.row or 0, {}, ValidationError(str(problem)))
        for outcome in report.outcomes:
            row = RowResult()
            row.import_type = ROW_STATUS.get(outcome.action, RowResult.IMPORT_TYPE_SKIP)
            row.instance = outcome.object
            row.add_instance_info(outcome.object if outcome.object.pk else None)
            self.append_row_result(row)
            self.increment_row_result_total(row)
        self.total_rows = len(report.outcomes)


def _text(value):
    return "" if value is None else str(value)


class ProductColumns(resources.ModelResource):
    """The product half of an import row, written the way the importer reads it back."""

    sku = fields.Field(attribute="sku", column_name="sku")
    brand = fields.Field(column_name="brand")
    product = fields.Field(column_name="product")
    form = fields.Field(column_name="form")
    serving_size = fields.Field(column_name="serving_size")
    amount_per_serving = fields.Field(column_name="amount_per_serving")
    servings_per_container = fields.Field(column_name="servings_per_container")
    certifications = fields.Field(column_name="certifications")

    class Meta:
        model = Product
        fields = export_order = NAMES[:8]

    def _product(self, obj):
        return obj

    def dehydrate_brand(self, obj):
        return self._product(obj).brand.name

    def dehydrate_product(self, obj):
        return self._product(obj).name

    def dehydrate_form(self, obj):
        return self._product(obj).form

    def dehydrate_serving_size(self, obj):
        return self._product(obj).serving_size

    def dehydrate_amount_per_serving(self, obj):
        return self._product(obj).dose_per_serving

    def dehydrate_servings_per_container(self, obj):
        return self._product(obj).servings_per_container

    def dehydrate_certifications(self, obj):
        return self._product(obj).certifications

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("brand")


class ProductResource(ProductColumns):
    """Products, one row each: the product columns of the import sheet."""

    @classmethod
    def get_display_name(cls):
        return "Products (one row per product)"


class OfferResource(ProductColumns):
    """Offers, one row each, in exactly the columns the importer reads: export, edit, import again."""

    merchant = fields.Field(column_name="merchant")
    price = fields.Field(column_name="price")
    currency = fields.Field(column_name="currency")
    price_checked_at = fields.Field(column_name="price_checked_at")
    affiliate_url = fields.Field(column_name="affiliate_url")
    in_stock = fields.Field(column_name="in_stock")

    class Meta:
        model = Offer
        fields = export_order = NAMES

    @classmethod
    def get_display_name(cls):
        return "Offers (one row per offer, the import columns)"

    def _product(self, obj):
        return obj.product

    def dehydrate_sku(self, obj):
        return obj.product.sku

    def dehydrate_merchant(self, obj):
        return obj.merchant.name

    def dehydrate_price(self, obj):
        return obj.price

    def dehydrate_currency(self, obj):
        return obj.currency

    def dehydrate_price_checked_at(self, obj):
        return timezone.localtime(obj.price_checked_at).isoformat()

    def dehydrate_affiliate_url(self, obj):
        return obj.affiliate_url

    def dehydrate_in_stock(self, obj):
        return "yes" if obj.in_stock else "no"

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("product__brand", "merchant")

    def get_user_visible_fields(self):
        return self.get_export_fields()

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        user = kwargs.get("user")
        report = import_offers(dataset, dry_run=dry_run, user=user if user and user.is_authenticated else None)
        return OfferImportResult(report)
