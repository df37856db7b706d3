"""Price-history charts drawn on the server as SVG coordinates; the template draws them, no script.

A chart is drawn only for a currency where some shop's price was checked at
two or more times: one check is a price, not a history. The lines scale with
the page; the axis labels are HTML beside the drawing, so they stay readable
on a phone instead of shrinking with it.
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import dateformat, timezone

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 10, 10  # room for the dots at the edges; labels sit outside the drawing
SERIES_STYLES = 5  # series-1 … series-5 in site.css


@dataclass
class Line:
    label: str
    series: int
    points: list = field(default_factory=list)  # (x, y, price, checked_at)

    @property
    def polyline(self):
        """A step line: a price holds until the next one was seen."""
        coordinates = []
        for (x, y, *_), following in zip(self.points, [*self.points[1:], None], strict=True):
            coordinates.append(f"{x:.1f},{y:.1f}")
            if following:
                coordinates.append(f"{following[0]:.1f},{y:.1f}")
        return " ".join(coordinates)


@dataclass
class Chart:
    currency: str
    symbol: str
    lines: list
    y_ticks: list  # (y, label): highest, middle and lowest price, top to bottom
    x_labels: tuple  # what the first and the last check are called under the drawing
    width: int = WIDTH
    height: int = HEIGHT


def price_history_charts(offers, at=None):
    """One chart per currency for the offers whose price readers may see (fresh ones)."""
    at = at or timezone.now()
    by_currency = {}
    for offer in offers:
        if not offer.price_is_fresh:
            continue
        history = [(h.checked_at, h.price) for h in offer.price_history.all() if h.currency == offer.currency]
        if not history or history[-1] != (offer.price_checked_at, offer.price):
            history.append((offer.price_checked_at, offer.price))
        history.append((at, offer.price))
        by_currency.setdefault(offer.currency, []).append((offer, history))
    return [_chart(currency, series) for currency, series in by_currency.items() if _has_history(series)]


def _has_history(series):
    """Some shop's price was checked at two or more times (the last point, "now", is not a check)."""
    return any(len({moment for moment, _ in history[:-1]}) >= 2 for _, history in series)


def _moment_labels(start, end):
    """The first and last moment, as short as tells them apart: "3 Nov" and "29 Nov 2026"."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return dateformat.format(start, "j M, H:i"), dateformat.format(end, "H:i")
    return dateformat.format(start, "j M" if start.year == end.year else "j M Y"), dateformat.format(end, "j M Y")


def _chart(currency, series):
    times = [t for _, history in series for t, _ in history]
    prices = [p for _, history in series for _, p in history]
    start, end = min(times), max(times)
    low, high = min(prices), max(prices)
    padding = (high - low) * Decimal("0.1") or max(high * Decimal("0.1"), Decimal("1"))
    # Whole currency units at top and bottom read better than 33.44 and 40.05.
    low, high = (
        max((low - padding).to_integral_value(ROUND_FLOOR), Decimal(0)),
        (high + padding).to_integral_value(ROUND_CEILING),
    )
    span = (end - start).total_seconds() or 1

    def x(moment):
        return LEFT + (WIDTH - LEFT - RIGHT) * (moment - start).total_seconds() / span

    def y(price):
        return TOP + (HEIGHT - TOP - BOTTOM) * float((high - price) / (high - low))

    symbol = series[0][0].currency_symbol
    lines = []
    for index, (offer, history) in enumerate(series):
        line = Line(label=offer.merchant.name, series=index % SERIES_STYLES + 1)
        line.points = [(x(moment), y(price), price, moment) for moment, price in history]
        lines.append(line)
    middle = (low + high) / 2
    y_ticks = [(y(price), f"{symbol}{price.quantize(Decimal('0.01'))}") for price in (high, middle, low)]
    return Chart(
        currency=currency,
        symbol=symbol,
        lines=lines,
        y_ticks=y_ticks,
        x_labels=_moment_labels(start, end),
    )
