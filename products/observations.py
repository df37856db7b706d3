"""A price seen at an offer at a time, and what the price rule (`Offer.observe_price`) did with it.

The rule itself is a method of the offer; this is its answer, which the
admin, the import and the price history (`PriceHistory.objects.record`) read,
and which words, for staff, why an older price was kept out of the offer.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:  # models.py imports this module
    from .models import Offer


@dataclass(frozen=True)
class PriceObservation:
    """A price seen at an offer at a time, and what `Offer.observe_price` did with it."""

    offer: "Offer"
    price: Decimal
    currency: str
    checked_at: datetime
    current: bool  # it is now the offer's price
    new_price: bool  # it differs from the price the offer had (or the offer is new)
    kept: tuple | None = None  # when older: the newer (price, currency, checked_at) the offer kept

    @property
    def recorded(self):
        """Whether it belongs in the price history: a new price, or any older observation."""
        return self.new_price or not self.current

    def __str__(self):
        return self.describe()

    def describe(self, *, recorded_before=False):
        """“25.00 checked 2026-11-20 09:00 is older than the stored 20.00 checked 2026-11-20 10:00; added to
        the price history only.” for an older observation; the price and time for a current one."""
        price, currency, checked_at = self.kept or (self.price, self.currency, self.checked_at)
        same = currency == self.currency
        seen = f"{'' if same else self.currency + ' '}{self.price} checked {_minute(self.checked_at)}"
        if self.current:
            return seen
        stored = f"{'' if same else currency + ' '}{price} checked {_minute(checked_at)}"
        done = "it is already in the price history" if recorded_before else "added to the price history only"
        return f"{seen} is older than the stored {stored}; {done}."


def _minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
