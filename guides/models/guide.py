from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from evidence.models import EVIDENCE_GRADE_MEANINGS, EvidenceGrade, Study
from products.models import Offer

from .base import CitingMarkdownModel
from .parts import RankedProduct
from .people import Category, Reviewer
from .revision import GuideRevision


def cited_studies(guide):
    """The studies a guide cites: its references and the studies behind its key benefits' claims.

    `guide` is a guide's id or an `OuterRef` to one, so the same rule serves
    one guide's publish checks and a filter over many guides.
    """
    return Study.objects.filter(
        models.Q(citations__guide=guide) | models.Q(claim_links__claim__key_benefits__guide=guide),
    )


def best_claim_grade(claims):
    return max((claim.grade for claim in claims), key=EvidenceGrade.rank, default=EvidenceGrade.INSUFFICIENT)


class GuideQuerySet(models.QuerySet):
    def published(self, at=None):
        """What readers see: guides (not pending changes) published at or before `at`."""
        at = at or timezone.now()
        return self.filter(status=Guide.Status.PUBLISHED, published_at__lte=at, pending_change_of__isnull=True)

    def exclude_pending_changes(self):
        """Every guide as it has its own address, published or not, without the pending changes to them."""
        return self.filter(pending_change_of__isnull=True)

    def pending_changes(self):
        return self.filter(pending_change_of__isnull=False)

    def changed_since_sign_off(self):
        """Guides whose newest version has no sign-off although an earlier one had."""
        newest = GuideRevision.objects.filter(guide=models.OuterRef("pk")).order_by("-number")
        return self.annotate(newest_signed_off_at=models.Subquery(newest.values("signed_off_at")[:1])).filter(
            newest_signed_off_at__isnull=True,
            pk__in=GuideRevision.objects.exclude(signed_off_at=None).values("guide"),
        )

    def with_stale_prices(self, at=None):
        """Guides ranking a product that no reader can buy: no offer in stock with a fresh price."""
        buyable = Offer.objects.buyable(at).values("product")
        return self.filter(pk__in=RankedProduct.objects.exclude(product__in=buyable).values("guide"))

    def with_change_due(self, at=None):
        """Annotate `change_due`: a scheduled pending change whose time has come."""
        return self.annotate(
            change_due=models.Exists(Guide.objects.due_changes(at).filter(pending_change_of=models.OuterRef("pk"))),
        )

    def due_changes(self, at=None):
        """Pending changes scheduled to go live by `at`."""
        at = at or timezone.now()
        return self.pending_changes().filter(scheduled_for__lte=at)

    def citing_retracted(self):
        """Guides that cite a retracted study: they need review."""
        return self.filter(models.Exists(cited_studies(models.OuterRef("pk")).filter(retracted=True)))

    def with_open_reports(self):
        """Guides with open error reports from readers (the reports belong to the readers app, above guides)."""
        reports = self.model.correction_requests.rel.related_model.objects
        return self.filter(models.Exists(reports.open().filter(guide=models.OuterRef("pk"))))

    def citing(self, study):
        return self.filter(models.Exists(cited_studies(models.OuterRef("pk")).filter(pk=study.pk)))


class Guide(CitingMarkdownModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class Kind(models.TextChoices):
        COMPARISON = "comparison", "Comparison: ranks products"
        ARTICLE = "article", "Article: no products"

    # A draft needs only its title; what publishing needs is the publish gate's job (guides.checks).
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        blank=True,
        help_text="The guide's address, /guides/l-glutamine-for-gut-health/ for “l-glutamine-for-gut-health”: "
        "lower-case words joined by hyphens. Left empty, it is made from the title.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.COMPARISON,
        help_text="An article explains a topic and ranks no products; readers see “Article” on it.",
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="guides")
    evidence_grade = models.CharField(
        max_length=20,
        choices=EvidenceGrade.choices,
        blank=True,
        help_text="How strong the research is for the main use. Readers see the grade and its meaning. "
        "It cannot be higher than the best grade of the key benefits' claims unless you give a reason below.",
    )
    grade_override_reason = models.TextField(
        "reason for a grade above the claims",
        blank=True,
        help_text="Only when the guide's grade is higher than its best key-benefit claim: say why. Readers see it.",
    )
    reviewer = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guides",
        help_text="The credentialed professional who checked this guide.",
    )
    intro = models.TextField(blank=True, help_text="The opening paragraphs. Markdown allowed.")
    intro_html = models.TextField(editable=False, blank=True)
    expert_take = models.TextField(
        blank=True,
        help_text="The reviewer's own view, shown as a quote with their name. Markdown allowed.",
    )
    expert_take_html = models.TextField(editable=False, blank=True)
    typical_dose = models.CharField(
        max_length=150,
        blank=True,
        help_text="The dose studies used, in a few words, for the at-a-glance box at the top, "
        "e.g. “5–15 g a day, in two or three doses”.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(
        "published",
        null=True,
        blank=True,
        editable=False,
        help_text="When the guide first went live; set by publishing.",
    )
    updated_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        editable=False,
        help_text="When a published change to the content last went live; set by publishing.",
    )
    last_reviewed_on = models.DateField(
        "last reviewed",
        null=True,
        blank=True,
        editable=False,
        help_text="The day a reviewer signed off the version readers see; set by publishing.",
    )
    pending_change_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending_change",
        help_text="The guide this pending change will replace when published.",
    )
    scheduled_for = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When this pending change goes live by itself.",
    )

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who wrote the first draft, or started this pending change.",
    )

    featured = models.BooleanField(
        default=False,
        help_text="Tick to show this guide under “Featured guides” at the top of the home page, once published.",
    )

    markdown_fields = {"intro": "intro_html", "expert_take": "expert_take_html"}
    # The guide's own content, as a revision keeps it; workflow fields (status, dates, links) are not content.
    content_fields = [
        "title",
        "slug",
        "kind",
        "category",
        "evidence_grade",
        "grade_override_reason",
        "reviewer",
        "intro",
        "intro_html",
        "expert_take",
        "expert_take_html",
        "typical_dose",
        "featured",
    ]

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-published_at", "title"]
        permissions = [
            ("sign_off_guide", "Can sign off a guide's current version as its reviewer"),
            ("publish_guide", "Can publish, schedule and unpublish guides"),
        ]
        constraints = [
            # A pending change shares its guide's address until it replaces it.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(pending_change_of__isnull=True),
                name="guides_guide_unique_live_slug",
                violation_error_message="Another guide already has this address.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (pending change)" if self.is_pending_change else self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if not self.slug:
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guides:guide_detail", kwargs={"slug": self.slug})

    @property
    def citing_guide_id(self):
        return self.pk

    @property
    def is_article(self):
        return self.kind == self.Kind.ARTICLE

    @property
    def grade_meaning(self):
        return EVIDENCE_GRADE_MEANINGS.get(self.evidence_grade, "")

    @property
    def is_pending_change(self):
        return self.pending_change_of_id is not None

    @property
    def live_guide(self):
        """The guide as readers know it by its address: itself, or the guide this pending change belongs to."""
        return self.pending_change_of if self.is_pending_change else self

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_locked(self):
        """A published guide is changed through a pending change, never in place; a scheduled change waits."""
        if self.is_pending_change:
            return self.scheduled_for is not None
        return self.status == self.Status.PUBLISHED

    def is_scheduled(self, at=None):
        """Published for a time to come: a new guide readers cannot see yet, or a change not yet in place."""
        if self.is_pending_change:
            return self.scheduled_for is not None
        at = at or timezone.now()
        return self.status == self.Status.PUBLISHED and self.published_at is not None and self.published_at > at

    def free_slug(self):
        """An address made from the title that no other guide has: “magnesium”, else “magnesium-2”, …"""
        base = slugify(self.title)[:190] or "guide"
        taken = set(
            Guide.objects.exclude_pending_changes()
            .exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True),
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def grade_exceeds(self, claims):
        """True when the guide's grade is above the best grade of its key benefits' `claims`."""
        if self.evidence_grade not in EvidenceGrade.values:
            return False  # the form reports a missing grade itself
        return EvidenceGrade.rank(self.evidence_grade) > EvidenceGrade.rank(best_claim_grade(claims))

    def grade_needs_reason(self, claims):
        return self.grade_exceeds(claims) and not self.grade_override_reason.strip()

    def check_grade_against(self, claims):
        """Refuse a grade above the key-benefit claims' best grade unless a reason is given.

        The admin calls this with the claims being saved; the guide's own
        clean() cannot, as it runs before the key benefits are saved.
        """
        if self.grade_needs_reason(claims):
            raise ValidationError(
                f"The guide's grade ({EvidenceGrade(self.evidence_grade).label}) is higher than its best key-benefit "
                f"claim ({EvidenceGrade(best_claim_grade(claims)).label}). Lower the grade, or write a reason for a "
                "grade above the claims.",
            )
