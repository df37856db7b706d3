from django.core.management.base import BaseCommand

from notifications.sending import send_digests


class Command(BaseCommand):
    help = "Email each person who chose a daily digest everything new, in one email. Once a day."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Emailed {sent} notification{'s' if sent != 1 else ''} in daily digests.")
