"""Background jobs: the queue (Huey), what each app schedules, and a record of every run.

Each app declares its jobs in its own `jobs.py` as `JOBS = (Job(...), ...)`;
`jobs` finds them at start-up, as the admin finds `admin.py`, and gives every
one a schedule, a management command, a row on the admin's Jobs page and a
JobRun per run. This app imports nothing of ours; the apps import it.
"""

from .registry import Job, Result

__all__ = ["Job", "Result"]
