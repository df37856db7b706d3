"""Price feeds: fetch a merchant's feed and import its prices like a spreadsheet, all or nothing.

A fetch asks conditionally (ETag / Last-Modified): a 304 refreshes nothing
but counts as a check. The feed's rows are matched to the merchant's offers
on the merchant's product id, else the SKU, and become rows of our import
columns (the product columns copied from the offer), which
`importing.import_offers` checks and writes as it does a file: every row or
none, with the price history. A price is dated when the feed says it was
made (Last-Modified), else when it was fetched; a stored price checked later
than that is kept (the row is left out). A feed that fails (HTTP error,
timeout, an unreadable file, rows that no longer match, a refused import)
keeps the last good prices, which go stale on their own; two failures in a
row flag it on the Jobs page and in the review queue of the guides it
affects, and send `merchant_feed_failing`.
"""

import os
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime

import requests
import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobs import Result
from jobs.running import JobError
from outbound.http import Client

from . import feed_formats
from .columns import COLUMNS
from .importing import import_offers
from .models import MerchantFeed, Offer, Product
from .signals import merchant_feed_failing
from .spreadsheets import ImportFileError, format_for_filename, read_dataset

FAILURES_TO_FLAG = 2
TIMEOUT = (10, 60)
MAX_FEED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    ok: bool
    summary: str
    changed: int = 0
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""


class FeedFailed(Exception):
    """The feed could not be used; the message is for staff."""


def feed_headers(feed):
    """Request headers named in the feed's settings, their values read from the environment now."""
    headers = {}
    for line in feed.header_variables.splitlines():
        if not line.strip():
            continue
        name, _, variable = line.partition(":")
        value = os.environ.get(variable.strip())
        if not value:
            raise FeedFailed(f"The environment variable {variable.strip()} for the “{name.strip()}” header is not set.")
        headers[name.strip()] = value
    return headers


def fetch(*, merchant, url, format, mapping=None, headers=None, etag="", last_modified="", at=None):
    """Fetch one feed once and import it; raises FeedFailed with a sentence for staff."""
    at = (at or timezone.now()).replace(microsecond=0)
    conditional = {"If-None-Match": etag} if etag else {}
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    try:
        with Client(timeout=TIMEOUT, retries=1) as client:
            response = client.get(url, headers={**(headers or {}), **conditional})
    except ValidationError:
        raise FeedFailed(
            f"{url} is not an https:// address (plain http only for OUTBOUND_HTTP_ALLOWED_HOSTS)."
        ) from None
    except requests.Timeout:
        raise FeedFailed(f"The feed did not answer within {TIMEOUT[1]} seconds.") from None
    except requests.RequestException as error:
        raise FeedFailed(f"The feed could not be reached: {type(error).__name__}.") from None
    if response.status_code == 304:
        return Fetched(
            True, "Not changed since the last fetch (304).", not_modified=True, etag=etag, last_modified=last_modified
        )
    if response.status_code != 200:
        raise FeedFailed(f"The feed answered HTTP {response.status_code} {response.reason}.")
    if len(response.content) > MAX_FEED_BYTES:
        raise FeedFailed("The feed is larger than 200 MB.")
    made_at = _made_at(response.headers.get("Last-Modified", ""), at)
    try:
        dataset, notes = _dataset(merchant, url, format, mapping or {}, response.content, made_at)
    except ImportFileError as error:
        raise FeedFailed(str(error)) from None
    etag, modified = response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
    if not dataset.height:
        return Fetched(
            True, "Nothing to update" + "".join(f"; {note}" for note in notes) + ".", 0, False, etag, modified
        )
    report = import_offers(dataset, at=at, file_name=f"the price feed of {merchant}")
    if not report.ok:
        problems = "; ".join(str(problem) for problem in report.problems[:3])
        raise FeedFailed(f"{report.summary} {problems}")
    counts = report.counts
    summary = f"{counts['updated']} updated, {counts['unchanged']} unchanged" + "".join(f"; {note}" for note in notes)
    return Fetched(
        True,
        summary + ".",
        changed=counts["updated"] + counts["new"],
        etag=etag,
        last_modified=modified,
    )


def _made_at(header, fetched_at):
    try:
        made = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return fetched_at
    return min(made, fetched_at) if made.tzinfo else fetched_at


def _dataset(merchant, url, format, mapping, data, made_at):
    if format == MerchantFeed.Format.OURS:
        extension = url.split("?")[0].rsplit(".", 1)[-1].lower()
        dataset = read_dataset(
            data, format_for_filename(f"feed.{extension if extension in {'xlsx', 'ods'} else 'csv'}")
        )
        others = {str(value).strip().lower() for value in dataset["merchant"]} - {merchant.name.lower(), ""}
        if others:
            raise ImportFileError(f"The feed lists offers of other merchants ({', '.join(sorted(others))}).")
        return dataset, []
    rows = (
        feed_formats.google_rows(data)
        if format == MerchantFeed.Format.GOOGLE
        else feed_formats.mapped_rows(data, mapping)
    )
    offers = list(Offer.objects.filter(merchant=merchant).select_related("product__brand", "merchant"))
    by_id = {offer.merchant_product_id: offer for offer in offers if offer.merchant_product_id}
    by_sku = {offer.product.sku: offer for offer in offers}
    dataset = tablib.Dataset(headers=[column.name for column in COLUMNS])
    matched, newer = set(), 0
    for row in rows:
        offer = by_id.get(row.id) or by_sku.get(row.id)
        if offer is None or offer.pk in matched:
            continue
        matched.add(offer.pk)
        if offer.price_checked_at > made_at:
            newer += 1  # a price seen later than this feed was made stays
            continue
        dataset.append(_import_row(offer, row, made_at))
    if offers and not matched:
        raise ImportFileError(
            f"None of the feed's {len(rows):,} rows matches an offer of {merchant.name} on its product id or SKU.",
        )
    notes = [f"{len(rows) - len(matched):,} rows about products we do not list"] if len(rows) > len(matched) else []
    if len(offers) > len(matched):
        notes.append(f"{len(offers) - len(matched)} of our offers not in the feed (their prices go stale)")
    if newer:
        notes.append(f"{newer} newer prices kept")
    return dataset, notes


def _import_row(offer, row, made_at):
    """The offer as the import columns write it (as an export would), with the feed's price and stock."""
    from_feed = {
        "price": row.price,
        "currency": row.currency or offer.currency,
        "price_checked_at": made_at,
        "in_stock": "yes" if row.in_stock else "no",
    }
    # Everything else, the affiliate link included, stays ours: link health checks the links.
    return [
        from_feed[column.name]
        if column.name in from_feed
        else column.exported(offer.product if column.model is Product else offer)
        for column in COLUMNS
    ]


def fetch_feed(feed, *, at=None):
    """Fetch a stored feed, keeping its state and its failure streak; returns Fetched (ok or not)."""
    at = at or timezone.now()
    try:
        fetched = fetch(
            merchant=feed.merchant,
            url=feed.url,
            format=feed.format,
            mapping=feed.column_mapping,
            headers=feed_headers(feed),
            etag=feed.etag,
            last_modified=feed.last_modified,
            at=at,
        )
    except FeedFailed as error:
        message = str(error)
        feed.failures_in_a_row += 1
        feed.last_error, feed.last_checked_at = message[:2000], at
        feed.save(update_fields=["failures_in_a_row", "last_error", "last_checked_at"])
        if feed.failures_in_a_row == FAILURES_TO_FLAG:
            transaction.on_commit(
                lambda: merchant_feed_failing.send(sender=MerchantFeed, merchant=feed.merchant, error=message),
            )
        return Fetched(False, message)
    feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    feed.last_checked_at = feed.last_success_at = at
    feed.failures_in_a_row, feed.last_error, feed.last_summary = 0, "", fetched.summary[:500]
    feed.save()
    return fetched


def fetch_prices(*, progress, merchant=None, url=None, format=None, at=None):
    """The job: fetch every feed that is due (or one merchant's now, or a trial URL without storing it)."""
    at = at or timezone.now()
    if url:
        return _trial(merchant, url, format, at)
    feeds = MerchantFeed.objects.select_related("merchant")
    if merchant:
        feeds = feeds.filter(merchant__slug=merchant)
        if not feeds:
            raise JobError(f"The merchant “{merchant}” has no price feed.")
    else:
        feeds = [feed for feed in feeds.filter(is_active=True) if _is_due(feed, at)]
    lines, changed, failed = [], 0, 0
    for done, feed in enumerate(feeds, start=1):
        fetched = fetch_feed(feed, at=at)
        changed += fetched.changed
        failed += not fetched.ok
        lines.append(f"{feed.merchant.name}: {'' if fetched.ok else 'failed: '}{fetched.summary}")
        progress(done, len(feeds), "feeds")
    summary = f"Fetched {len(feeds)} feed{'s' if len(feeds) != 1 else ''}" + (f", {failed} failed" if failed else "")
    return Result(changed=changed, summary=summary + (". " + " ".join(lines) if lines else "."))


def _is_due(feed, at):
    # A minute early is due: fetches start a little after each quarter-hour.
    return feed.last_checked_at is None or feed.last_checked_at <= at - timedelta(hours=feed.every_hours, minutes=-1)


def _trial(merchant_slug, url, format, at):
    from .models import Merchant

    merchant = Merchant.objects.filter(slug=merchant_slug or "").first()
    if merchant is None:
        raise JobError("Name the merchant whose offers the feed prices: --merchant SLUG.")
    mapping = getattr(getattr(merchant, "feed", None), "column_mapping", {}) if format == "mapped" else {}
    try:
        fetched = fetch(merchant=merchant, url=url, format=format or MerchantFeed.Format.GOOGLE, mapping=mapping, at=at)
    except FeedFailed as error:
        raise JobError(str(error)) from None
    return Result(changed=fetched.changed, summary=f"{merchant.name}: {fetched.summary}")


def failing_feed_warnings():
    """What the Jobs page shows under the price feed job."""
    return [
        f"The price feed of {feed.merchant.name} failed {feed.failures_in_a_row} times in a row: {feed.last_error}"
        for feed in MerchantFeed.objects.failing().select_related("merchant")
    ]
