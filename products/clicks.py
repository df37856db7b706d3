"""What happens to a shop link: readers' clicks through /go/, and the link checker's last look at it."""

from django.db import models
from django.utils import timezone

from .models import Offer


class AffiliateClick(models.Model):
    """One reader following an affiliate link: an offer's or one typed into text. No IP address or
    user agent is kept."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="clicks")
    shop_link = models.ForeignKey(
        "products.ShopLink", on_delete=models.CASCADE, null=True, blank=True, related_name="clicks"
    )
    clicked_at = models.DateTimeField(default=timezone.now)
    referrer_path = models.CharField(
        "from page",
        max_length=300,
        blank=True,
        help_text="The page of ours the reader clicked on, when it could be told.",
    )
    guide_slug = models.SlugField("from guide", max_length=200, blank=True)

    class Meta:
        ordering = ["-clicked_at"]
        indexes = [
            models.Index(fields=["clicked_at", "offer"], name="products_click_at_offer"),
            models.Index(fields=["clicked_at", "guide_slug"], name="products_click_at_guide"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offer__isnull=False, shop_link__isnull=True)
                | models.Q(offer__isnull=True, shop_link__isnull=False),
                name="products_click_offer_or_shop_link",
            ),
        ]

    def __str__(self):
        return f"{self.offer or self.shop_link} at {self.clicked_at:%Y-%m-%d %H:%M}"


class LinkCheck(models.Model):
    """The last check of an offer's shop link (products/link_health.py). Never counted as a click."""

    class Outcome(models.TextChoices):
        FINE = "fine", "Fine"
        REDIRECTED = "redirected", "Redirected (fine)"
        BROKEN = "broken", "Broken"
        COULD_NOT_CHECK = "could_not_check", "Could not check"

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="link_check")
    checked_at = models.DateTimeField("last checked")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    final_url = models.URLField("ended at", max_length=1000, blank=True)
    response = models.CharField(max_length=300, blank=True, help_text="What the shop answered, in a few words.")
    broken_in_a_row = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["outcome", "-checked_at"]
        verbose_name = "link check"
        verbose_name_plural = "link health"

    def __str__(self):
        return f"{self.offer}: {self.get_outcome_display()}"
