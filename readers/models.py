"""The reader site's own content: editable pages, newsletter subscribers and readers' error reports.

These models were first made in the `guides` app; their tables keep the
names they were created with (see migration 0001), so moving them here moved
no row, permission or admin history.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from richtext.models import MarkdownModel


class PageQuerySet(models.QuerySet):
    def listed(self):
        """Pages for everyone: the subscribers' free guide stays out of listings and search engines."""
        return self.filter(for_subscribers=False)


class Page(MarkdownModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The page's address: /pages/<slug>/. The footer links to about, editorial-policy, "
        "affiliate-disclosure and medical-disclaimer, so keep those four addresses.",
    )
    description = models.CharField(
        max_length=300,
        help_text="One or two sentences that search engines and link previews show under the title.",
    )
    body = models.TextField(help_text="Markdown allowed. Headings you add (# …) start one level below the page title.")
    body_html = models.TextField(editable=False, blank=True)
    for_subscribers = models.BooleanField(
        "free guide for subscribers",
        default=False,
        help_text="Tick for the free guide newsletter subscribers receive. The signup form reads "
        "“Get the free guide to <title>”, so write the title to follow “to”, e.g. “30 gut-friendly foods”. "
        "The page is left out of site search, the sitemap and search engines.",
    )
    updated_at = models.DateTimeField("updated", auto_now=True)

    markdown_fields = {"body": "body_html"}
    objects = PageQuerySet.as_manager()

    class Meta:
        db_table = "guides_page"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("readers:page_detail", kwargs={"slug": self.slug})

    def render_html(self, text):
        # A page has no h2 blocks of its own, so its text's headings start at h2, not h3.
        html = super().render_html(text)
        for level in range(3, 7):
            html = html.replace(f"<h{level}>", f"<h{level - 1}>").replace(f"</h{level}>", f"</h{level - 1}>")
        return html


class NewsletterSubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=NewsletterSubscriber.Status.CONFIRMED)


class NewsletterSubscriber(models.Model):
    """A reader who asked for the newsletter. Only confirmed addresses may be sent it (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(unique=True, help_text="Stored in lower case.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    signed_up_at = models.DateTimeField("signed up", default=timezone.now)
    confirmed_at = models.DateTimeField("confirmed", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("unsubscribed", null=True, blank=True)

    objects = NewsletterSubscriberQuerySet.as_manager()

    class Meta:
        db_table = "guides_newslettersubscriber"
        ordering = ["-signed_up_at"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class CorrectionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CorrectionRequest.Status.OPEN)


class CorrectionRequest(models.Model):
    """A reader's report of an error in a guide, for editors to check."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="correction_requests")
    location = models.CharField("where on the page", max_length=200, blank=True)
    description = models.TextField("what is wrong", max_length=3000)
    source = models.URLField(
        "source for the correction",
        max_length=500,
        blank=True,
        help_text="A study or page the reader says shows the right information.",
    )
    email = models.EmailField(
        "reader's email",
        blank=True,
        help_text="Given only so we can reply about this report; never added to the newsletter.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    reported_at = models.DateTimeField("reported", default=timezone.now)
    resolved_at = models.DateTimeField("resolved", null=True, blank=True)
    editor_note = models.TextField(
        blank=True,
        help_text="What was checked or changed. Readers do not see this.",
    )

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        db_table = "guides_correctionrequest"
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["status", "guide"], name="guides_correction_status_guide")]

    def __str__(self):
        return f"Report on “{self.guide}” ({self.reported_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.status == self.Status.RESOLVED and self.resolved_at is None:
            self.resolved_at = timezone.now()
        elif self.status == self.Status.OPEN:
            self.resolved_at = None
        super().save(*args, **kwargs)
