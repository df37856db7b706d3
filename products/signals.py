"""What the products app tells the apps above it. Receivers live in those apps; products imports none."""

from django.dispatch import Signal

# A spreadsheet import wrote and committed its rows: sent with `report` (an importing.ImportReport). Its
# bulk writes send no post_save, so whatever caches what readers see listens to this instead.
offers_imported = Signal()
