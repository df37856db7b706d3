from django.core.management.base import BaseCommand

from notifications.sending import send_digests, send_notifications


class Command(BaseCommand):
    help = (
        "Email notifications to people who want them at once (after writing the “due soon” ones); "
        "with --digest, email the daily digests instead. Run it every few minutes, and with --digest once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Send the daily digests.")

    def handle(self, *args, digest=False, **options):
        if digest:
            sent = send_digests()
            self.stdout.write(f"Emailed {sent} notification{'s' if sent != 1 else ''} in daily digests.")
        else:
            sent = send_notifications()
            self.stdout.write(f"Emailed {sent} notification{'s' if sent != 1 else ''}.")
