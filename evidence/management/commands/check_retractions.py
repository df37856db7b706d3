from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "check_retractions"

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="A path or URL of the Retraction Watch CSV; default RETRACTION_WATCH_CSV_URL.",
        )
