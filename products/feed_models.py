"""A merchant's price feed: where it is, how to read it, and how its last fetches went (products/price_feeds.py)."""

from django.db import models

from outbound.addresses import OutsideAddressValidator


class MerchantFeedQuerySet(models.QuerySet):
    def failing(self):
        """Feeds that failed twice or more in a row: flagged on the Jobs page and in the review queue."""
        return self.filter(failures_in_a_row__gte=2)


class MerchantFeed(models.Model):
    class Format(models.TextChoices):
        OURS = "ours", "Our import columns (CSV, XLSX or ODS)"
        GOOGLE = "google", "Google Merchant Center product data (TSV or XML)"
        MAPPED = "mapped", "Any CSV, with the column mapping below"

    merchant = models.OneToOneField("products.Merchant", on_delete=models.CASCADE, related_name="feed")
    url = models.URLField(
        "feed address",
        max_length=1000,
        validators=[OutsideAddressValidator()],
        help_text="The https:// address of the merchant's product feed.",
    )
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.GOOGLE)
    every_hours = models.PositiveSmallIntegerField(
        "fetch every (hours)",
        default=6,
        help_text="Keep it shorter than the merchant's price freshness limit, or its prices go stale between fetches.",
    )
    header_variables = models.TextField(
        "request headers from the environment",
        blank=True,
        help_text="One per line, “Header-Name: ENVIRONMENT_VARIABLE”, e.g. “Authorization: AWIN_FEED_TOKEN”. "
        "The value is read from the server's environment at each fetch and never stored here.",
    )
    column_mapping = models.JSONField(
        blank=True,
        default=dict,
        help_text="For “any CSV”: which of its columns holds each of ours, e.g. "
        '{"id": "aw_product_id", "price": "search_price", "currency": "currency", "availability": "in_stock"}.',
    )
    is_active = models.BooleanField("fetch on schedule", default=True)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_checked_at = models.DateTimeField("last fetched", null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField("last read", null=True, blank=True, editable=False)
    last_summary = models.CharField(max_length=500, blank=True, editable=False)
    failures_in_a_row = models.PositiveSmallIntegerField(default=0, editable=False)
    last_error = models.TextField(blank=True, editable=False)

    objects = MerchantFeedQuerySet.as_manager()

    class Meta:
        ordering = ["merchant__name"]

    def __str__(self):
        return f"Price feed of {self.merchant}"
