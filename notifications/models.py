from django.conf import settings
from django.db import models
from django.utils import timezone

from .kinds import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def not_emailed(self):
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """One thing one person should know, listed in the admin and emailed by a job (never by the request)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    title = models.CharField(max_length=300, help_text="One line, as the list and the email subject show it.")
    body = models.TextField(blank=True, help_text="The details: a reviewer's comment, a retraction's reason.")
    url = models.CharField(max_length=500, blank=True, help_text="The admin page to act on, a path of ours.")
    guide = models.ForeignKey(
        "guides.Guide",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="Sent alone or in a digest.")
    # Jobs that look again (a due date, a retraction feed) must not say the same thing twice.
    dedupe_key = models.CharField(max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notifications_notification_once_per_event",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_recipient_read")]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationSettings(models.Model):
    """How one person wants to hear: every email at once, one a day, or none; and which kinds not at all."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Email each one as it happens"
        DAILY = "daily", "One email a day with everything new (a digest)"
        NONE = "none", "No email: only the list here"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    muted_kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="Kinds this person turned off: neither listed nor emailed.",
    )

    class Meta:
        verbose_name_plural = "notification settings"
        ordering = ["user"]

    def __str__(self):
        return f"Notification settings of {self.user}"

    @classmethod
    def of(cls, user):
        """The person's settings; defaults (every kind, emailed at once) until they change them."""
        return cls.objects.filter(user=user).first() or cls(user=user)
