from django.core.management.base import BaseCommand

from notifications.sending import send_notifications


class Command(BaseCommand):
    help = "Write the “due soon” notifications, then email those of people who want them at once. Every few minutes."

    def handle(self, *args, **options):
        sent = send_notifications()
        self.stdout.write(f"Emailed {sent} notification{'s' if sent != 1 else ''}.")
