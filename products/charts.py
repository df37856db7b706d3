"""Price-history charts drawn on the server as SVG coordinates; the template draws them, no script."""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import timezone

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 12, 28
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
    y_ticks: list  # (y, label)
    x_ticks: list  # (x, label, datetime)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM
    right_x: int = WIDTH - RIGHT


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
    return [_chart(currency, series) for currency, series in by_currency.items()]


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
    x_ticks = [(x(moment), moment) for moment in (start, end)]
    return Chart(currency=currency, symbol=symbol, lines=lines, y_ticks=y_ticks, x_ticks=x_ticks)
