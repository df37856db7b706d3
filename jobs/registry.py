"""The jobs every app declares, and when each is due.

A schedule is a `huey.crontab(...)` test in UTC, with its words for editors
("daily at 04:00 UTC"). The slot a scheduled run belongs to is the latest
minute at or before now that the schedule matches, so two workers that
wake for the same schedule a moment apart name the same slot.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.utils.module_loading import module_has_submodule

# Far enough to find the slot of a weekly schedule; a schedule rarer than this has no slot.
SCHEDULE_HORIZON = timedelta(days=8)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Result:
    """What a run did: how many things it changed, and a sentence for the Jobs page and the command."""

    changed: int = 0
    summary: str = ""
    details: dict = field(default_factory=dict)  # anything more a page shows, as JSON (an import's preview)


@dataclass(frozen=True)
class Job:
    name: str  # also the management command's name
    title: str  # what the job does, for editors
    run: Callable  # run(progress=callable, **options) -> Result
    schedule: Callable | None = None  # huey.crontab(...), in UTC; None: only on request
    schedule_words: str = ""
    retries: int = 3
    retry_delay: int = 60  # seconds before the first retry; each next one waits twice as long
    # Whether what the job changes shows on readers' pages (their cache is emptied when it changes anything).
    changes_reader_pages: bool = True
    # Whether staff may start it from the Jobs page without giving it anything.
    can_run_now: bool = True
    # warnings() -> sentences the Jobs page shows under the job: what its runs found wrong (a failing feed).
    warnings: Callable | None = None

    def slot(self, at):
        """The scheduled minute a run at `at` belongs to, or None for unscheduled jobs."""
        if self.schedule is None:
            return None
        minute = at.astimezone(UTC).replace(second=0, microsecond=0)
        earliest = minute - SCHEDULE_HORIZON
        while minute > earliest:
            if self.schedule(minute.replace(tzinfo=None)):
                return minute
            minute -= MINUTE
        return None

    def next_run(self, at):
        if self.schedule is None:
            return None
        minute = at.astimezone(UTC).replace(second=0, microsecond=0) + MINUTE
        latest = minute + SCHEDULE_HORIZON
        while minute < latest:
            if self.schedule(minute.replace(tzinfo=None)):
                return minute
            minute += MINUTE
        return None


_jobs = {}


def register(job):
    if job.name in _jobs and _jobs[job.name] != job:
        raise ValueError(f"Two jobs are named “{job.name}”.")
    _jobs[job.name] = job


def discover():
    """Read `JOBS` from every installed app's `jobs` module."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "jobs"):
            module = importlib.import_module(f"{config.name}.jobs")
            for job in getattr(module, "JOBS", ()):
                register(job)


def all_jobs():
    return sorted(_jobs.values(), key=lambda job: job.title)


def get(name):
    return _jobs[name]


def utcnow():
    return datetime.now(UTC)
