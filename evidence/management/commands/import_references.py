from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.importing import import_references
from evidence.reference_files import ImportFileError, decode_upload


class Command(BaseCommand):
    help = (
        "Import studies from an RIS, BibTeX or PubMed MEDLINE (.nbib) file, the format read from its content. "
        "Known studies (same PMID, DOI, or title and year) are updated, never duplicated; "
        "one bad record stops the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change and save nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            report = import_references(decode_upload(file.read_bytes()), dry_run=dry_run, file_name=file.name)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ImportFileError as error:
            raise CommandError(f"Nothing was imported from {file}:\n  {error}") from None
        if not report.ok:
            raise CommandError(
                "\n".join([f"Nothing was imported from {file}:", *(f"  {problem}" for problem in report.problems)]),
            )
        if options["verbosity"] > 1:
            for outcome in report.outcomes:
                detail = f" ({', '.join(outcome.changes)})" if outcome.changes else ""
                if outcome.same_as:
                    detail += f", same study as record {outcome.same_as}"
                self.stdout.write(f"Record {outcome.number}: {outcome.action}{detail} — {outcome.object}")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        for kept in report.kept:
            self.stdout.write(kept)
        self.stdout.write(self.style.SUCCESS(report.summary))
