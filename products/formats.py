"""django-import-export file formats that read through `importing.read_dataset` and export safely.

The library's own ODS format reads the file as text and fails (issue #2176),
its CSV format knows only commas, and its formula escaping strips a leading
`=` only. These subclasses fix all three for the admin and the command alike.
"""

from import_export.formats import base_formats

from .cells import FORMULA_STARTS
from .spreadsheets import read_dataset


def escape_formula(value):
    """A cell a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetFormat(base_formats.TablibFormat):
    """Read as bytes, whatever the library's temp storage would do with text."""

    key = ""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_dataset(in_stream, self.key)

    def export_data(self, dataset, **kwargs):
        escaped = dataset.__class__(headers=dataset.headers)
        for row in dataset:
            escaped.append([escape_formula(value) for value in row])
        return super().export_data(escaped, **kwargs)


class CSV(SpreadsheetFormat, base_formats.CSV):
    key = "csv"

    def export_data(self, dataset, **kwargs):
        # A byte-order mark lets Excel open the file as UTF-8 instead of guessing.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(SpreadsheetFormat, base_formats.XLSX):
    key = "xlsx"


class ODS(SpreadsheetFormat, base_formats.ODS):
    key = "ods"


IMPORT_FORMATS = [CSV, XLSX, ODS]
EXPORT_FORMATS = [CSV, XLSX]
