"""Importing products and their offers from a spreadsheet, one row per offer: plan, then write.

`import_offers()` takes the rows `spreadsheets.read_dataset()` read, checks
every cell through the column registry (`columns.py`), works out with a
handful of queries what each row would create or change, and then writes all
of it in one transaction, or nothing when any row has a problem or on a dry
run. The admin's preview is a dry run of the same call that its confirm then
makes for real, and `manage.py import_products` and the price feeds call it
too, so all accept and refuse the same files. After a write,
`signals.offers_imported` is sent.

Every price goes through `Offer.observe_price`: a row checked before the
stored price goes into the price history only. Products and offers changed
get a history entry naming who imported which file. A real import locks the
stored products and offers it matches in key order, so two imports sharing
offers wait for each other instead of deadlocking; a deadlock, a
serialisation failure or a new brand, merchant, product or offer created at
the same moment by another import (a unique key taken) starts the plan again
on what is now stored, a few times, before the file is refused; so does a
wait for another import's locks that outlasts the database's lock or
statement timeout.
"""

import random
import time
from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from .columns import Header
from .models import Offer
from .planning import Outcome, Plan, RowsBusy
from .signals import offers_imported
from .spreadsheets import NO_ROWS, Problem, is_blank

__all__ = ["ImportReport", "Outcome", "import_offers"]
ATTEMPTS = 4  # a write started again after a deadlock or a key taken meanwhile; then the file is refused
RACE = (
    "Another change to the same products or offers was saved while this file was being imported, "
    "so nothing was imported. Import the file again."
)
RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


@dataclass
class ImportReport:
    dry_run: bool
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    brands_created: int = 0
    merchants_created: int = 0
    products_created: int = 0
    products_updated: int = 0
    prices_recorded: int = 0
    older_prices: int = 0

    @property
    def ok(self):
        return not self.problems

    @property
    def counts(self):
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        return counts

    @property
    def kept(self):
        """“Row 7: 25.00 checked … is older than the stored …”, for every row whose price was not taken."""
        return [f"Row {outcome.number}: {outcome.kept}" for outcome in self.outcomes if outcome.kept]

    @property
    def summary(self):
        if not self.ok:
            return (
                f"Nothing was imported: the file has {_plural(len(self.problems), 'problem')}. "
                f"Fix {'it' if len(self.problems) == 1 else 'them'} and import the whole file again."
            )
        counts = self.counts
        text = f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged offers"
        extras = [
            _plural(self.products_created, "new product"),
            _plural(self.products_updated, "updated product"),
            _plural(self.brands_created, "new brand"),
            _plural(self.merchants_created, "new merchant"),
            _plural(self.prices_recorded, "price", "prices") + " added to the price history",
            _plural(self.older_prices, "older price") + " kept for a newer one stored",
        ]
        extras = [extra for extra in extras if not extra.startswith("0 ")]
        return text + ("; " + ", ".join(extras) if extras else "") + "."


def _plural(count, singular, plural=None):
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def import_offers(dataset, *, dry_run=False, user=None, at=None, progress=None, file_name=""):
    """Check every row of `dataset`, then create or update brands, merchants, products and offers.

    Nothing is written when any row has a problem, nor on a dry run. Prices go through
    `Offer.observe_price`; history entries name `user` and `file_name` (the file or feed the rows came
    from). `progress(done, total)` is called now and then for long files.
    """
    at = (at or timezone.now()).replace(microsecond=0)
    report = ImportReport(dry_run=dry_run)
    header = Header(dataset.headers or [], row=getattr(dataset, "header_row", 1))
    report.problems.extend(header.problems)
    report.notes.extend(header.notes)
    if not report.problems:
        rows = _parse_rows(dataset, header, at, report, progress)
        if not rows and not report.problems:
            report.problems.append(Problem(NO_ROWS))
    if not report.problems:
        reason = f"Imported from {file_name}" if file_name else "Imported from a spreadsheet"
        _plan_and_write(rows, header, report, user=user, reason=reason)
    if report.problems:
        # By row and column as in the spreadsheet; remarks about the whole file last. Nothing of a
        # refused file is counted as created or updated.
        report.problems.sort(key=lambda p: (p.row is None, p.row or 0, len(p.letter), p.letter))
        report.outcomes = []
        return report
    if not dry_run:
        # Bulk writes send no model signals; those who cache what readers see listen to this instead.
        transaction.on_commit(partial(offers_imported.send, sender=Offer, report=report))
    if progress:
        progress(len(dataset), len(dataset))
    return report


def _plan_and_write(rows, header, report, *, user, reason):
    """Plan on what is stored (locked, for a real import) and write, starting again when another import's
    write got in the way; the plan's outcomes and problems into `report`."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                plan = Plan(rows, header, lock=not report.dry_run)
                if not plan.problems and not report.dry_run:
                    plan.write(user=user, reason=reason)
        except (IntegrityError, OperationalError, RowsBusy) as error:
            if not _worth_retrying(error):
                raise
            if attempt == ATTEMPTS:
                report.problems.append(Problem(RACE))
                return
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # let the other import finish first
            continue
        plan.fill(report)
        return


def _worth_retrying(error):
    if isinstance(error, IntegrityError | RowsBusy):
        return True  # a key the plan found free was taken meanwhile, or rows stayed locked too long
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRY_SQLSTATES or "database is locked" in str(error)


def _parse_rows(dataset, header, at, report, progress):
    """Each non-blank row as a dict of clean values, or problems in `report`."""
    parsed = []
    total = len(dataset)
    for position, values in enumerate(dataset):
        if progress and position % 1000 == 0:
            progress(position, total)
        if is_blank(values):
            continue
        number = header.row + 1 + position
        if header.repeats_header(values):
            report.problems.append(
                Problem("repeats the header row, as where two files were joined. Delete it.", number)
            )
            continue
        row, problems = header.parse_row(number, values, at)
        report.problems.extend(problems)
        parsed.append(row)
    return parsed if not report.problems else []
