from axes.models import AccessAttempt
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Delete failed sign-in records (user name, client address) older than the lockout lasts. "
        "Sign-ins delete them too; run this hourly so none outlives the lockout when nobody signs in."
    )

    def handle(self, *args, **options):
        deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=timezone.now() - settings.AXES_COOLOFF_TIME).delete()
        self.stdout.write(f"Forgot {deleted} failed sign-in record{'s' if deleted != 1 else ''}.")
