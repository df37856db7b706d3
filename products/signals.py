"""What the products app tells the apps above it. Receivers live in those apps; products imports none."""

from django.dispatch import Signal

# An offer's shop link was found broken twice in a row and is now hidden from readers: sent with `offer`.
offer_link_broken = Signal()
# A merchant's price feed failed twice in a row; its last good prices go stale on their own: sent with
# `merchant` and `error` (a sentence for staff).
merchant_feed_failing = Signal()
# A spreadsheet import wrote and committed its rows: sent with `report` (an importing.ImportReport). Its
# bulk writes send no post_save, so whatever caches what readers see listens to this instead.
offers_imported = Signal()
