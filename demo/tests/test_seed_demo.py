from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides import revisions, workflow
from guides.models import Guide, GuideRevision, SafetyWarning

pytestmark = pytest.mark.django_db

GUIDE_URL = "/guides/l-glutamine-for-gut-health/"


def snapshot():
    """Every row of our apps, as values, to compare two runs."""
    rows = {}
    for label in ["guides", "products", "evidence", "readers", "notifications", "auth"]:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(
                (str(sorted(model_to_dict(obj).items(), key=lambda kv: kv[0])) for obj in model.objects.all()),
            )
    return rows


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_guide_has_every_block(client):
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    assert guide.reviewer.credentials
    assert guide.ranked_products.count() == 4
    assert all(r.product.offers.exists() for r in guide.ranked_products.all())
    assert guide.citations.count() >= 8
    assert guide.faqs.count() >= 5
    assert guide.key_benefits.exists()
    assert guide.sections.exists()
    assert guide.complaints.exists()
    assert guide.expert_take
    assert guide.safety_warnings.filter(severity=SafetyWarning.Severity.CRITICAL, text__icontains="cancer").exists()
    response = client.get(GUIDE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/8098788/"' in html
    assert "Price checked <time" in html


def test_seed_demo_runs_again_after_an_editor_starts_a_change(editor):
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    pending = workflow.start_change(guide=guide, user=editor)
    call_command("seed_demo", verbosity=0)
    assert Guide.objects.exclude_pending_changes().get(slug=guide.slug) == guide
    assert Guide.objects.pending_changes().get() == pending


def test_the_demo_guide_was_made_through_the_workflow_and_its_dates_come_from_it():
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    first = guide.revisions.order_by("number").first()
    latest = revisions.current_revision(guide)
    for revision in [first, latest]:
        assert revision.created_by.username == "demo-editor"
        assert revision.submitted_by.username == "demo-editor"
        assert revision.signed_off_by.slug == "dana-reyes"
        assert revision.signed_off_user.username == "demo-reviewer"
    assert guide.published_at == first.published_at
    assert "moved from #3 to #2" in latest.change_note  # a later change, with its note for readers
    assert guide.updated_at == latest.published_at
    assert guide.last_reviewed_on == timezone.localdate(latest.signed_off_at)
    assert guide.started_by.username == "demo-editor"


def test_a_second_demo_guide_waits_in_review_assigned_to_the_demo_reviewer():
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-before-exercise-in-the-heat")
    assert guide.status == Guide.Status.IN_REVIEW
    assert guide.assignment.assignee.username == "demo-reviewer"
    assert guide.assignment.due_on > timezone.localdate()
    assert guide.assignment.assignee.notifications.unread().filter(kind="sent_to_review", guide=guide).exists()


def test_a_demo_guide_seeded_before_it_had_a_history_gets_one():
    call_command("seed_demo", verbosity=0)
    guide = Guide.objects.get(slug="l-glutamine-for-gut-health")
    first_published = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    GuideRevision.objects.filter(guide=guide).delete()
    Guide.objects.filter(pk=guide.pk).update(published_at=first_published)
    call_command("seed_demo", verbosity=0)
    guide.refresh_from_db()
    assert revisions.current_revision(guide).is_signed_off
    assert guide.status == Guide.Status.PUBLISHED
    assert guide.published_at == first_published


def test_demo_logins_for_each_role_in_development(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("demo_logins")
    out = capsys.readouterr().out
    for role, username in [
        ("Editors", "demo-editor"),
        ("Reviewers", "demo-reviewer"),
        ("Product importers", "demo-importer"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password("glutasite-demo")
        assert username in out
    assert "signs off as Dana Reyes, RND" in out
    client = Client()
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "demo-reviewer", "password": "glutasite-demo", "next": reverse("admin:index")},
        follow=True,
    )
    assert "L-Glutamine Before Exercise in the Heat" in signed_in.content.decode()


def test_demo_logins_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_logins")
    assert not get_user_model().objects.get(username="demo-editor").has_usable_password()
