from jobs.commands import JobCommand


class Command(JobCommand):
    job_name = "check_links"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="Check at most this many links, those checked longest ago first.")
