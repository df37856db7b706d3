import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from jobs.models import JobRun

pytestmark = pytest.mark.django_db

JOBS_URL = reverse("admin:jobs_jobrun_changelist")


@pytest.fixture
def login(client, django_user_model):
    def as_role(role):
        user = django_user_model.objects.create_user(username=role.lower(), password="pw-role-123456", is_staff=True)
        user.groups.set(Group.objects.filter(name=role))
        client.force_login(user)
        return user

    return as_role


def row(html, name):
    match = re.search(rf'<tr id="job-{name}">(.*?)</tr>', html, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


@pytest.mark.parametrize("role", ["Editors", "Product importers"])
def test_editors_and_importers_see_every_job_with_its_schedule_last_and_next_run(client, login, role):
    call_command("publish_scheduled", verbosity=0)
    login(role)
    html = client.get(JOBS_URL).content.decode()
    publishing = row(html, "publish_scheduled")
    assert "Publish scheduled guides and changes" in publishing
    assert "every minute" in publishing
    assert "Management command" in publishing
    assert "Succeeded" in publishing
    assert "Published 0 scheduled changes." in publishing
    assert "none" in publishing  # no error yet
    assert "never" in row(html, "send_queued_mail")
    assert html.count("Run now") >= 2


def test_the_jobs_page_shows_the_last_error_and_when(client, login):
    JobRun.objects.create(
        job="send_queued_mail",
        trigger="schedule",
        outcome="failed",
        attempt=3,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    login("Editors")
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in row(
        client.get(JOBS_URL).content.decode(),
        "send_queued_mail",
    )


def test_run_now_queues_the_job_for_the_worker_and_records_who(client, login, django_capture_on_commit_callbacks):
    user = login("Editors")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:jobs_jobrun_run", args=["publish_scheduled"]), follow=True)
    assert "is queued" in response.content.decode()
    run = JobRun.objects.get()
    assert (run.trigger, run.requested_by, run.outcome) == ("admin", user, "succeeded")


def test_run_now_is_a_post_only(client, login):
    login("Editors")
    assert client.get(reverse("admin:jobs_jobrun_run", args=["publish_scheduled"])).status_code == 405
    assert not JobRun.objects.exists()


def test_reviewers_neither_see_nor_run_jobs(client, login):
    login("Reviewers")
    assert client.get(JOBS_URL).status_code == 403
    assert client.post(reverse("admin:jobs_jobrun_run", args=["publish_scheduled"])).status_code == 403
    assert not JobRun.objects.exists()
