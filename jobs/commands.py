"""The management command behind every job: same function, same JobRun record, a progress line and the summary.

A command names its job and adds the options it passes on:

    class Command(JobCommand):
        job_name = "check_links"

        def add_arguments(self, parser):
            parser.add_argument("--limit", type=int)
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from . import registry
from .models import JobRun
from .running import JobError, execute

# Seconds between progress lines: rewritten in place on a terminal, one line now and then in a cron log.
TERMINAL_EVERY, LOG_EVERY = 0.2, 10


class JobCommand(BaseCommand):
    job_name = ""
    echoed_at = 0.0
    echoed = False

    @property
    def help(self):
        job = registry.get(self.job_name)
        schedule = f" The job runs {job.schedule_words}." if job.schedule_words else ""
        return f"{job.title}.{schedule} Safe to run again at any time."

    def job_options(self, options):
        """The options the job function takes: those this command added, by their destination names."""
        base = {"verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"}
        return {name: value for name, value in options.items() if name not in base}

    def handle(self, *args, **options):
        job = registry.get(self.job_name)
        run = JobRun.objects.create(job=job.name, trigger=JobRun.Trigger.COMMAND, arguments=self.job_options(options))
        echo = self.echo if options["verbosity"] > 0 else None
        self.echoed_at = time.monotonic()
        try:
            result = execute(run, echo=echo)
        except JobError as error:
            raise CommandError(str(error)) from None
        except Exception:
            if options.get("traceback"):
                raise
            # One line for the terminal or the cron mail, as the Jobs page shows it; --traceback for the rest.
            run.refresh_from_db()
            raise CommandError(f"{job.title} failed: {run.last_error}") from None
        if result.summary:
            self.stdout.write(result.summary)

    def echo(self, line, finished=False):
        """One progress line, rewritten in place on a terminal, so long runs show they are alive."""
        terminal = self.stderr.isatty()
        now = time.monotonic()
        if finished and not self.echoed:
            return  # a short run: its summary says it all
        if not finished and now - self.echoed_at < (TERMINAL_EVERY if terminal else LOG_EVERY):
            return
        self.echoed_at, self.echoed = now, True
        self.stderr.write(f"\r{line}" if terminal else line, ending="" if terminal and not finished else "\n")
        sys.stderr.flush()
