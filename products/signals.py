"""Signals products sends for apps above it, which products itself never imports."""

from django.dispatch import Signal

# Sent with `report` (an importing.ImportReport) once a spreadsheet import has
# written and committed. Its bulk writes send no post_save, so whatever caches
# what readers see of products and offers listens to this instead.
offers_imported = Signal()
