from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class AssignmentQuerySet(models.QuerySet):
    def overdue(self, at=None):
        """Assignments whose due day has passed in the site's time zone."""
        return self.filter(due_on__lt=timezone.localdate(at))

    def due_soon(self, at=None, days=1):
        """Due today or within `days` days, not yet overdue."""
        today = timezone.localdate(at)
        return self.filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))


class Assignment(models.Model):
    """Who has a guide (or a pending change) now, and by when it should be done."""

    guide = models.OneToOneField("guides.Guide", on_delete=models.CASCADE, related_name="assignment")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guide_assignments",
        help_text="The person who has this guide now.",
    )
    due_on = models.DateField("due", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="What to do, e.g. “Check the dosage section”.")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "assigned_at"]

    def __str__(self):
        return f"{self.guide} → {self.assignee}"

    def is_overdue(self, at=None):
        return self.due_on is not None and self.due_on < timezone.localdate(at)
