"""Every price seen at an offer, in the order it was checked: the product page's chart and the record
of who or what saw it (an import, a feed, an editor)."""

from django.conf import settings
from django.db import models

from .models import CURRENCY_CHOICES, Offer
from .observations import PriceObservation


class PriceHistoryQuerySet(models.QuerySet):
    def record(self, observations, *, source, user=None):
        """Write the `PriceObservation`s that belong in the history (new prices and older observations), or
        the current price of offers given as such; the importer's bulk writes and the admin both call this.
        An observation already in the history is not written twice."""
        rows = []
        for seen in observations:
            if isinstance(seen, Offer):
                seen = PriceObservation(seen, seen.price, seen.currency, seen.price_checked_at, True, True)
            if seen.recorded:
                rows.append(
                    PriceHistory(
                        offer=seen.offer,
                        price=seen.price,
                        currency=seen.currency,
                        checked_at=seen.checked_at,
                        source=source,
                        changed_by=user,
                    ),
                )
        return self.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class PriceHistory(models.Model):
    class Source(models.TextChoices):
        IMPORT = "import", "Spreadsheet import"
        ADMIN = "admin", "Edited in the admin"

    offer = models.ForeignKey("products.Offer", on_delete=models.CASCADE, related_name="price_history")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    checked_at = models.DateTimeField("price checked at")
    source = models.CharField(max_length=10, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for imports run from the command line.",
    )

    objects = PriceHistoryQuerySet.as_manager()

    class Meta:
        ordering = ["offer", "checked_at"]
        verbose_name_plural = "price history"
        constraints = [
            # One row per price seen at a time: the same observation imported twice is one row.
            models.UniqueConstraint(
                fields=["offer", "checked_at", "price", "currency"],
                name="products_pricehistory_one_row_per_observation",
            ),
        ]

    def __str__(self):
        return f"{self.offer}: {self.currency} {self.price} on {self.checked_at:%Y-%m-%d %H:%M}"
