from django.conf import settings
from django.db import models
from django.utils import timezone


class JobRunQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(outcome__in=[JobRun.Outcome.SUCCEEDED, JobRun.Outcome.FAILED])

    def latest_per_job(self):
        """The newest run of each job, as {job name: run}."""
        newest = self.filter(job=models.OuterRef("job")).order_by("-created_at", "-pk").values("pk")[:1]
        return {run.job: run for run in self.filter(pk=models.Subquery(newest))}


class JobRun(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        COMMAND = "command", "Management command"
        ADMIN = "admin", "Run from the admin"

    class Outcome(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        RETRYING = "retrying", "Failed, will retry"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100, db_index=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    slot = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The scheduled time this run is for; each job runs once per slot, however many workers wake.",
    )
    arguments = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.QUEUED)
    attempt = models.PositiveSmallIntegerField(default=0)
    items_changed = models.PositiveIntegerField(default=0)
    progress = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    # What the job hands back for a page to show (an import's preview), when it has more than a summary.
    details = models.JSONField(default=dict, blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "job run"
        verbose_name_plural = "jobs"  # the admin's Jobs page lists the jobs, then their runs
        permissions = [("run_jobrun", "Can start a job now from the Jobs page")]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobs_jobrun_once_per_slot"),
        ]
        indexes = [models.Index(fields=["job", "-created_at"], name="jobs_jobrun_job_created")]

    def __str__(self):
        return f"{self.job} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def is_finished(self):
        return self.outcome in {self.Outcome.SUCCEEDED, self.Outcome.FAILED}


class OutgoingEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at=None)


class OutgoingEmail(models.Model):
    """One email the site sends, kept until a worker hands it to the mail server."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    subject = models.CharField(max_length=1000)
    body = models.TextField(blank=True)
    from_email = models.CharField(max_length=500)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    alternatives = models.JSONField(default=list, blank=True, help_text="[content, MIME type] pairs.")
    attachments = models.JSONField(default=list, blank=True, help_text="[file name, base64 content, MIME type].")
    sent_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outgoing email"
        verbose_name_plural = "outgoing email"

    def __str__(self):
        return f"{self.subject} to {', '.join(self.to)}"
