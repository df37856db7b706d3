import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from huey import crontab

from jobs import Job, Result, registry, running, tasks
from jobs.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    return []


@pytest.fixture
def counting_job(calls):
    def count(*, progress, **options):
        calls.append(options)
        progress(1, 1, "things")
        return Result(changed=1, summary="Counted one thing.")

    job = Job(name="test_count", title="Count", run=count, schedule=crontab(minute="0", hour="4"))
    registry.register(job)
    yield job
    registry._jobs.pop(job.name)


@pytest.fixture
def failing_job():
    def fail(*, progress):
        raise ConnectionError("the shop's server hung up")

    job = Job(name="test_fail", title="Fail", run=fail, retries=2, retry_delay=60)
    registry.register(job)
    yield job
    registry._jobs.pop(job.name)


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_workers_waking_a_moment_apart_name_the_same_slot(counting_job):
    assert counting_job.slot(at("2026-11-20 04:00:05")) == at("2026-11-20 04:00")
    assert counting_job.slot(at("2026-11-20 04:01:59")) == at("2026-11-20 04:00")
    assert counting_job.next_run(at("2026-11-20 04:00:05")) == at("2026-11-21 04:00")


def test_two_workers_running_the_same_periodic_job_run_it_once(counting_job, calls):
    tasks.run_scheduled(counting_job)
    tasks.run_scheduled(counting_job)
    assert len(calls) == 1
    run = JobRun.objects.get(job="test_count")
    assert (run.trigger, run.outcome, run.items_changed) == ("schedule", "succeeded", 1)
    assert run.slot == counting_job.slot(datetime.now(UTC))


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_slot_at_the_same_moment_get_one_run(counting_job):
    slot, claims, start = at("2026-11-20 04:00"), [], threading.Barrier(2)

    def claim():
        start.wait()
        try:
            claims.append(running.claim_slot(counting_job, slot))
        finally:
            connection.close()

    workers = [threading.Thread(target=claim) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(run is not None for run in claims) == 1
    assert JobRun.objects.filter(job="test_count", slot=slot).count() == 1


def test_a_failing_job_is_retried_with_growing_delays_then_shown_as_failed(failing_job, job_queue):
    run = running.start(failing_job, trigger=JobRun.Trigger.ADMIN)
    tasks.queue_run(run.pk, failing_job)
    job_queue.run_queued()
    run.refresh_from_db()
    assert (run.outcome, run.attempt) == ("retrying", 1)
    assert "ConnectionError: the shop's server hung up" in run.last_error
    # The first retry waits 60 s, the second 120 s (counted from when the first ran, which is now).
    assert job_queue.run_retries_due(after_seconds=59) == 0
    assert job_queue.run_retries_due(after_seconds=61) == 1
    run.refresh_from_db()
    assert (run.outcome, run.attempt) == ("retrying", 2)
    assert job_queue.run_retries_due(after_seconds=119) == 0
    assert job_queue.run_retries_due(after_seconds=121) == 1
    run.refresh_from_db()
    assert (run.outcome, run.attempt) == ("failed", 3)
    assert run.finished_at is not None


def test_a_job_error_fails_at_once_without_retrying(job_queue):
    def refuse(*, progress):
        raise running.JobError("The file has no header row.")

    job = Job(name="test_refuse", title="Refuse", run=refuse, retries=3)
    registry.register(job)
    try:
        run = running.start(job, trigger=JobRun.Trigger.ADMIN)
        tasks.queue_run(run.pk, job)
        job_queue.run_queued()
    finally:
        registry._jobs.pop(job.name)
    run.refresh_from_db()
    assert (run.outcome, run.last_error) == ("failed", "The file has no header row.")
    assert job_queue.run_retries_due(after_seconds=3600) == 0


def test_a_run_delivered_twice_runs_once(counting_job, calls, job_queue):
    run = running.start(counting_job, trigger=JobRun.Trigger.ADMIN)
    tasks.queue_run(run.pk, counting_job)
    tasks.queue_run(run.pk, counting_job)
    job_queue.run_queued()
    assert len(calls) == 1


def test_every_job_has_a_command_that_records_its_run(capsys):
    names = {job.name for job in registry.all_jobs()}
    assert {"publish_scheduled", "send_queued_mail"} <= names
    call_command("publish_scheduled")
    assert capsys.readouterr().out.strip() == "Published 0 scheduled changes."
    run = JobRun.objects.get(job="publish_scheduled")
    assert (run.trigger, run.outcome, run.summary) == ("command", "succeeded", "Published 0 scheduled changes.")
    assert run.duration < timedelta(seconds=5)


def test_a_command_whose_job_fails_says_so_in_one_line_as_the_jobs_page_does(failing_job):
    from django.core.management.base import CommandError

    from jobs.commands import JobCommand

    command = JobCommand()
    command.job_name = failing_job.name
    with pytest.raises(CommandError) as refused:
        call_command(command)
    run = JobRun.objects.get(job=failing_job.name)
    assert str(refused.value) == f"Fail failed: {run.last_error}"
    assert run.last_error.startswith("ConnectionError: the shop's server hung up")
    with pytest.raises(ConnectionError):  # --traceback shows where
        call_command(command, traceback=True)
