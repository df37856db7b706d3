"""What the admin's Export writes: products or offers in the import sheet's columns, safe to open.

django-import-export's `ExportMixin` gives the admin its export screen (which
resource, which columns, which format, honouring the list's filters). The
resources here take their columns from `columns.COLUMNS` when the export
runs, so the offer export is exactly the import sheet and can be edited and
imported back. The formats put an apostrophe before any cell a spreadsheet
would run as a formula, where the library's own escaping strips a leading `=`
only; the import takes that apostrophe off again.
"""

from functools import partial

from import_export import fields, resources
from import_export.formats import base_formats

from . import columns
from .cells import FORMULA_STARTS
from .models import Offer, Product


def escape_formula(value):
    """A cell a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaEscaping:
    def export_data(self, dataset, **kwargs):
        escaped = dataset.__class__(headers=dataset.headers)
        for row in dataset:
            escaped.append([escape_formula(value) for value in row])
        return super().export_data(escaped, **kwargs)


class CSV(FormulaEscaping, base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        # A byte-order mark lets Excel open the file as UTF-8 instead of guessing.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(FormulaEscaping, base_formats.XLSX):
    pass


EXPORT_FORMATS = [CSV, XLSX]


class ColumnsResource(resources.Resource):
    """One row per object, in the import sheet's columns that fill `column_models`."""

    column_models = (Product,)
    related = ()  # for select_related: what the columns read besides the object
    display_name = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = {
            column.name: fields.Field(column_name=column.name, dehydrate_method=partial(self.cell, column))
            for column in columns.COLUMNS
            if column.model in self.column_models
        }

    @classmethod
    def get_display_name(cls):
        return cls.display_name

    def cell(self, column, obj):
        # An offer's product columns are its product's.
        return column.exported(obj if isinstance(obj, column.model) else getattr(obj, column.model._meta.model_name))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.related)


class ProductResource(ColumnsResource):
    display_name = "Products (one row per product)"
    related = ("brand",)


class OfferResource(ColumnsResource):
    column_models = (Product, Offer)
    display_name = "Offers (one row per offer, the import columns)"
    related = ("product__brand", "merchant")
