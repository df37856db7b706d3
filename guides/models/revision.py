from django.conf import settings
from django.db import models
from django.utils import timezone


class GuideRevisionQuerySet(models.QuerySet):
    def published(self, at=None):
        at = at or timezone.now()
        return self.filter(published_at__lte=at)

    def notes_for_readers(self, at=None):
        """Published versions with a note under “What changed”, newest first."""
        return self.published(at).exclude(change_note="").order_by("-published_at", "-number")


class GuideRevision(models.Model):
    """One saved version of a guide with all its parts, as editors left it.

    Every save that changes content adds one. Sending to review marks the
    revision the reviewer is asked to read; a sign-off names the revision it
    approved, and a request for changes keeps the reviewer's comment on the
    revision it was about; publishing marks the revision that went live, with
    the editor's note for readers ("What changed") and any gate override.
    """

    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content = models.JSONField(help_text="The guide and its parts at this version.")
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who sent this version to review.",
    )
    submitted_at = models.DateTimeField("sent to review", null=True, blank=True)
    changes_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changes_requested_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(
        "reviewer's comment",
        blank=True,
        help_text="What the reviewer asked to change when sending this version back.",
    )
    signed_off_by = models.ForeignKey(
        "guides.Reviewer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sign_offs",
    )
    signed_off_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When this version went (or goes) live.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    change_note = models.TextField(
        blank=True,
        help_text="What changed, one line per change, as readers will see it under “What changed”.",
    )
    override_reason = models.TextField(blank=True, help_text="Why this version was published over failing checks.")
    overridden_checks = models.JSONField(default=list, blank=True)

    objects = GuideRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["guide", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="guides_guiderevision_unique_number"),
        ]

    def __str__(self):
        return f"{self.guide.live_guide} — version {self.number}"

    @property
    def is_signed_off(self):
        return self.signed_off_at is not None

    @property
    def changes_requested(self):
        """True while the reviewer's request is the last word on this version (not sent to review again since)."""
        if self.changes_requested_at is None:
            return False
        return self.submitted_at is None or self.submitted_at < self.changes_requested_at

    @property
    def change_lines(self):
        return [line.strip() for line in self.change_note.splitlines() if line.strip()]
