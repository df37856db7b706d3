from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from evidence.models import Study
from products.models import Product

from .base import CitingMarkdownModel, GuidePart


class KeyBenefit(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="key_benefits")
    title = models.CharField(max_length=200, help_text="The benefit in a few words, e.g. “Supports gut lining”.")
    claim = models.ForeignKey(
        "evidence.Claim",
        on_delete=models.PROTECT,
        null=True,
        related_name="key_benefits",
        help_text="The research claim behind this benefit. Readers see its grade and its studies as citations.",
    )
    text = models.TextField(blank=True, help_text="One or two sentences. Markdown allowed.")
    text_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"text": "text_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return self.title


SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))]


class RankedProduct(CitingMarkdownModel):
    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="ranked_products")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="rankings")
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], help_text="1 is the top pick.")
    award = models.CharField(max_length=100, blank=True, help_text="e.g. “Best overall” or “Best value”.")
    quality_score = models.DecimalField(max_digits=3, decimal_places=1, validators=SCORE_VALIDATORS)
    value_score = models.DecimalField(max_digits=3, decimal_places=1, validators=SCORE_VALIDATORS)
    clinical_score = models.DecimalField(
        "clinical backing score",
        max_digits=3,
        decimal_places=1,
        validators=SCORE_VALIDATORS,
        help_text="How closely the dose and form match what studies used, out of 10.",
    )
    verdict = models.TextField(blank=True, help_text="Why it earned this place. Markdown allowed.")
    verdict_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"verdict": "verdict_html"}

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "rank"],
                name="guides_rankedproduct_unique_rank",
                violation_error_message="Two products cannot share a rank in one guide.",
            ),
            models.UniqueConstraint(
                fields=["guide", "product"],
                name="guides_rankedproduct_unique_product",
                violation_error_message="This product is already ranked in this guide.",
            ),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="guides_rankedproduct_rank_positive"),
        ]

    def __str__(self):
        return f"#{self.rank} {self.product}"

    @property
    def overall_score(self):
        total = self.quality_score + self.value_score + self.clinical_score
        return (total / 3).quantize(Decimal("0.1"))


class Section(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200, help_text="e.g. “How it works”, “What to look for”, “Dosage”.")
    body = models.TextField(help_text="Markdown allowed. Headings you add start one level below this heading.")
    body_html = models.TextField(editable=False, blank=True)
    free_guide_box_after = models.BooleanField(
        "free-guide box after this section",
        default=False,
        help_text="Show the newsletter's “Get the free guide to …” box after this section. It links to the "
        "signup page, so the guide page itself stays cacheable.",
    )

    markdown_fields = {"body": "body_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return self.heading


class Complaint(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="complaints")
    complaint = models.CharField(max_length=300, help_text="What customers say, in their words.")
    answer = models.TextField(help_text="What the evidence or the reviewer says about it. Markdown allowed.")
    answer_html = models.TextField(editable=False, blank=True)
    review_count = models.PositiveIntegerField(
        "reviews read",
        null=True,
        blank=True,
        help_text="How many customer reviews this complaint was drawn from, e.g. 1240.",
    )
    review_source = models.CharField(
        "where the reviews are",
        max_length=100,
        blank=True,
        help_text="e.g. “Amazon US”. Readers see “Based on 1,240 reviews on Amazon US, 2026”.",
    )
    review_year = models.PositiveSmallIntegerField(
        "year the reviews were read",
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )

    markdown_fields = {"answer": "answer_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return self.complaint

    @property
    def has_source(self):
        return bool(self.review_count and self.review_source and self.review_year)

    def clean(self):
        super().clean()
        given = [self.review_count is not None, bool(self.review_source.strip()), self.review_year is not None]
        if any(given) and not all(given):
            raise ValidationError(
                "Give the number of reviews, where they are and the year you read them, or none of the three: "
                "readers see “Based on 1,240 reviews on Amazon US, 2026”.",
            )


class SafetyWarning(GuidePart, CitingMarkdownModel):
    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        CAUTION = "caution", "Caution"
        INFO = "info", "Information"

    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="safety_warnings")
    severity = models.CharField(
        max_length=10,
        choices=Severity.choices,
        default=Severity.CAUTION,
        help_text="Critical warnings stand out and are read first by screen readers.",
    )
    applies_to = models.CharField(
        "who should avoid it",
        max_length=150,
        blank=True,
        help_text="For critical and caution warnings: who it is for, in a few words, e.g. “People with cancer "
        "or in cancer treatment”. Listed under “Who should avoid it” in the at-a-glance box, linked here.",
    )
    text = models.TextField(help_text="Markdown allowed.")
    text_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"text": "text_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return f"{self.get_severity_display()}: {self.text[:60]}"

    @property
    def is_critical(self):
        return self.severity == self.Severity.CRITICAL

    @property
    def warns_off(self):
        """Critical and caution warnings say who should avoid the supplement; information does not."""
        return self.severity in {self.Severity.CRITICAL, self.Severity.CAUTION} and bool(self.applies_to.strip())

    @property
    def reader_label(self):
        """The warning's heading on the page."""
        labels = {self.Severity.CRITICAL: "Critical safety warning", self.Severity.CAUTION: "Caution"}
        return labels.get(self.severity, "Good to know")


class FAQ(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown allowed.")
    answer_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"answer": "answer_html"}

    class Meta(GuidePart.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question


class Citation(GuidePart):
    guide = models.ForeignKey("guides.Guide", on_delete=models.CASCADE, related_name="citations")
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="citations")

    class Meta(GuidePart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "study"],
                name="guides_citation_unique_study",
                violation_error_message="This study is already cited in this guide.",
            ),
        ]

    def __str__(self):
        return str(self.study)
