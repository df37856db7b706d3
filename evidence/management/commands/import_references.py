from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.importing import ReferenceImportError, decode_upload, import_references


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
            text = decode_upload(file.read_bytes())
            result = import_references(text, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ReferenceImportError as error:
            raise CommandError(
                "\n".join([f"Nothing was imported from {file}:", *(f"  {problem}" for problem in error.problems)]),
            ) from None
        if options["verbosity"] > 1:
            for outcome in result.outcomes:
                detail = f" ({', '.join(outcome.changes)})" if outcome.changes else ""
                if outcome.same_as:
                    detail += f", same study as record {outcome.same_as}"
                self.stdout.write(f"Record {outcome.number}: {outcome.action}{detail} — {outcome.study}")
        for outcome in result.outcomes:
            for note in outcome.notes:
                self.stdout.write(self.style.WARNING(f"Record {outcome.number}: {note}"))
        self.stdout.write(self.style.SUCCESS(result.summary))
