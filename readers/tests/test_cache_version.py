"""The page cache's version lives in the cache every process shares, so a worker's job empties every web process's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guides.models import Guide
from guides.tests.factories import GuideFactory
from jobs import Job, Result, registry, running
from jobs.models import JobRun

pytestmark = pytest.mark.django_db


def test_a_job_that_changes_what_readers_see_shows_on_the_next_request(client):
    guide = GuideFactory(title="Old title")
    client.get(guide.get_absolute_url())

    def retitle(*, progress):
        # Written in bulk, as feeds and imports write: no model signal reaches the cache.
        return Result(changed=Guide.objects.filter(pk=guide.pk).update(title="Retitled by a job"))

    job = Job(name="test_retitle", title="Retitle", run=retitle)
    registry.register(job)
    try:
        running.execute(JobRun.objects.create(job=job.name, trigger="command"))
    finally:
        registry._jobs.pop(job.name)
    assert "Retitled by a job" in client.get(guide.get_absolute_url()).content.decode()


def test_a_guide_scheduled_for_its_first_publication_shows_in_the_list_when_the_job_runs(client):
    guide = GuideFactory(title="Scheduled guide", published_at=timezone.now() + timedelta(minutes=5))
    assert "Scheduled guide" not in client.get("/guides/").content.decode()
    # Its time comes while the list sits in the cache: nothing is saved, so nothing empties it...
    Guide.objects.filter(pk=guide.pk).update(published_at=timezone.now() - timedelta(seconds=10))
    assert "Scheduled guide" not in client.get("/guides/").content.decode()
    # ...until the minute's publishing job notices it went live.
    running.execute(JobRun.objects.create(job="publish_scheduled", trigger="schedule"))
    assert "Scheduled guide" in client.get("/guides/").content.decode()
