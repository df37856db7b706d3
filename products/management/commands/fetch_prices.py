from jobs.commands import JobCommand
from products.models import MerchantFeed


class Command(JobCommand):
    job_name = "fetch_prices"

    def add_arguments(self, parser):
        parser.add_argument("--merchant", help="Fetch this merchant's feed now, due or not (its slug).")
        parser.add_argument("--url", help="Try a feed at this address once, for --merchant, storing no settings.")
        parser.add_argument("--format", choices=MerchantFeed.Format.values, help="The format of --url.")
