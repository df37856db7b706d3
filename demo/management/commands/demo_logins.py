from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.workflow import PEOPLE, demo_people
from guides.models import Reviewer

PASSWORD = "glutasite-demo"  # printed by `make run`: development only


class Command(BaseCommand):
    help = "Give the demo's editor, reviewer and product importer a password and print them. Development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo logins are for development only, and DJANGO_DEBUG is off: none were made.")
        reviewer = Reviewer.objects.filter(slug="dana-reyes").first()
        if reviewer is None:
            raise CommandError("Run seed_demo first: the demo reviewer's profile is missing.")
        people = demo_people(reviewer)
        for user in [people.editor, people.reviewer, people.importer]:
            if not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
        self.stdout.write("Demo logins (development only), password “glutasite-demo” for each:")
        for username, first_name, last_name, role in PEOPLE:
            signs_off = f", signs off as {reviewer}" if username == people.reviewer.username else ""
            self.stdout.write(f"    {role:<18} {username:<14} ({first_name} {last_name}{signs_off})")
