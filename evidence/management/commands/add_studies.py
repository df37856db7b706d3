from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "add_studies"

    def add_arguments(self, parser):
        parser.add_argument(
            "identifiers", nargs="+", metavar="ID_OR_URL", help="PMIDs, PMCIDs, DOIs or their addresses."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Look them up and show what would change; save nothing."
        )
