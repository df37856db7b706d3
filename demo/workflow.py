"""The demo's people and guides, made the way editors make them: through the workflow.

`demo_people()` gives the demo an editor, a reviewer (linked to the demo
reviewer's profile) and a product importer, in their roles' groups. They
have no usable password: `demo_logins` gives them one, in development only.

`create_demo_guide()` writes a draft with its parts, sends it to review as
the demo editor, signs it off as the demo reviewer and publishes it, so the
guide has a saved version, a recorded sign-off and page dates that come from
them. Every demo guide goes through it, which keeps seed_demo idempotent: an
existing guide is left alone (one seeded before guides had a history gets it).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from guides import workflow
from guides.models import Guide
from guides.parts import add_cited_studies
from guides.roles import ROLES, grant_roles
from notifications.models import Notification

PEOPLE = [
    # username, first name, last name, role
    ("demo-editor", "Erin", "Ellis", "Editors"),
    ("demo-reviewer", "Dana", "Reyes", "Reviewers"),
    ("demo-importer", "Priya", "Patel", "Product importers"),
]


@dataclass(frozen=True)
class DemoPeople:
    editor: object
    reviewer: object
    importer: object


def demo_people(reviewer_profile):
    """The demo's logins, one per role, the reviewer's linked to `reviewer_profile`."""
    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        grant_roles(apps)  # a flushed test database has lost the groups the migration made
    users = []
    for username, first_name, last_name, role in PEOPLE:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.com",
                "is_staff": True,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        users.append(user)
    editor, reviewer, importer = users
    if reviewer_profile.user_id is None:
        reviewer_profile.user = reviewer
        reviewer_profile.save(update_fields=["user"])
    return DemoPeople(editor=editor, reviewer=reviewer, importer=importer)


@transaction.atomic
def create_demo_guide(
    *,
    slug,
    fields,
    add_parts,
    people,
    published_at=None,
    sent_at=None,
    due_in_days=None,
    assignment_note="",
):
    """The demo guide at `slug`, written by the demo editor and published at `published_at`.

    `fields` are the guide's own (title, category, grade, reviewer, intro, …);
    `add_parts(guide)` adds its key benefits, products, sections and so on.
    Without `published_at` the guide stays in review, sent at `sent_at`
    (default: a day ago); `due_in_days` gives it to its reviewer, due then.
    """
    now = timezone.now()
    guide = Guide.objects.exclude_pending_changes().filter(slug=slug).first()
    if guide is None:
        guide = Guide.objects.create(slug=slug, status=Guide.Status.DRAFT, started_by=people.editor, **fields)
        add_parts(guide)
        add_cited_studies(guide)
    elif guide.revisions.exists():
        return guide  # made through the workflow before: leave it as editors may have changed it
    else:
        # Seeded before demo guides had a history: give it one, keeping its first publication date.
        Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.DRAFT, started_by=people.editor)
        guide.refresh_from_db()
    # The guide's reviewer signs off; the demo reviewer's login is linked to that profile.
    reviewer = guide.reviewer.user if guide.reviewer and guide.reviewer.user else people.reviewer
    if published_at is None:
        workflow.submit_for_review(guide=guide, user=people.editor, at=sent_at or now - timedelta(days=1))
    else:
        workflow.submit_for_review(guide=guide, user=people.editor, at=published_at - timedelta(days=2))
        workflow.sign_off(guide=guide, user=reviewer, at=published_at - timedelta(days=1))
        workflow.publish(
            guide=guide,
            user=people.editor,
            at=published_at,
            go_live_at=published_at,
            override_reason="Seeded demo content.",
        )
        # What the workflow told people weeks ago is history, not news: read, and never emailed now.
        Notification.objects.filter(guide=guide).update(read_at=published_at, emailed_at=published_at)
    if due_in_days is not None:
        workflow.assign(
            guide=guide,
            user=people.editor,
            assignee=reviewer,
            due_on=timezone.localdate(now) + timedelta(days=due_in_days),
            note=assignment_note,
        )
    guide.refresh_from_db()
    return guide
