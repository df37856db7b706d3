from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from products.columns import names_a_column
from products.importing import import_offers
from products.permissions import IMPORT_PERMISSIONS, may_import
from products.spreadsheets import ImportFileError, check_file_size, format_for_filename, read_dataset

# Files shorter than this finish before a progress bar would tell anyone anything.
PROGRESS_FROM_ROWS = 1000
BAR_WIDTH = 30
LISTED = 50  # rows kept for a newer stored price, listed one by one


class Command(BaseCommand):
    help = (
        "Import products and offers from a CSV, XLSX or ODS spreadsheet, one row per offer: "
        "the same checks and the same all-or-nothing rule as the admin import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet: .csv, .xlsx or .ods.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--user", help="Username recorded in the price history as the one who imported.")

    def handle(self, *args, file, dry_run, user, verbosity, **options):
        path = Path(file)
        try:
            check_file_size(path.name, path.stat().st_size)
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        importer = None
        if user:
            try:
                importer = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user “{user}”.") from None
            if not may_import(importer):
                raise CommandError(
                    f"“{user}” may not import products: the import needs an active user with "
                    f"{', '.join(IMPORT_PERMISSIONS)} (the Product importers role). Nothing was imported.",
                )
        try:
            dataset = read_dataset(data, format_for_filename(path.name), is_header=names_a_column)
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        progress = self.progress_bar if verbosity > 0 and len(dataset) >= PROGRESS_FROM_ROWS else None
        report = import_offers(dataset, dry_run=dry_run, user=importer, progress=progress, file_name=path.name)

        for note in report.notes:
            self.stderr.write(note, self.style.WARNING)
        for problem in report.problems:
            self.stderr.write(str(problem), self.style.ERROR)
        if not report.ok:  # a refused file created and updated nothing, so no counts are printed
            raise CommandError(report.summary)
        kept = report.kept
        for line in kept[:LISTED]:
            self.stderr.write(line, self.style.WARNING)
        if len(kept) > LISTED:
            self.stderr.write(f"And {len(kept) - LISTED:,} more rows older than the stored price.", self.style.WARNING)
        counts = report.counts
        self.stdout.write(
            f"created {counts['new']}, updated {counts['updated']}, unchanged {counts['unchanged']}, errors 0",
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing was written. Importing would give: {report.summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {report.summary}"))

    def progress_bar(self, done, total):
        filled = BAR_WIDTH * done // max(total, 1)
        ending = "\n" if done >= total else ""
        self.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,} rows", ending=ending)
        self.stderr.flush()
