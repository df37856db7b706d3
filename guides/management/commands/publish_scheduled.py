"""Put scheduled guide changes live. Run it from cron every few minutes:

    */5 * * * *  cd /srv/glutasite && .venv/bin/python manage.py publish_scheduled

Readers get a due change even if this runs late: the guide page applies it
on the first request after its time. Guides scheduled for their first
publication need nothing: the published QuerySet compares their time.
"""

from django.core.management.base import BaseCommand

from guides import workflow


class Command(BaseCommand):
    help = "Publish every pending guide change whose scheduled time has passed."

    def handle(self, *args, **options):
        count = workflow.publish_due()
        self.stdout.write(f"Published {count} scheduled change{'s' if count != 1 else ''}.")
