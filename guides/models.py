from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from evidence.models import EVIDENCE_GRADE_MEANINGS, EvidenceGrade, Study
from glutasite.markdown import render_markdown
from products.models import Offer, Product

from . import citations


class MarkdownModel(models.Model):
    """Stores the safe HTML of each Markdown field next to it on save.

    `markdown_fields` maps a source field to the field that holds its HTML.
    """

    markdown_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for source, target in self.markdown_fields.items():
            setattr(self, target, self.render_html(getattr(self, source)))
        super().save(*args, **kwargs)

    def render_html(self, text):
        return render_markdown(text)


class CitingMarkdownModel(MarkdownModel):
    """Guide text whose citation markers ([@pmid:…], [@doi:…], [@slug]) link to studies.

    Every study a marker cites gets a row in the guide's references, so the
    study cannot be deleted while cited and its page lists the guide.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._cited_studies = []
        super().save(*args, **kwargs)
        if self._cited_studies:
            Citation.objects.bulk_create(
                [Citation(guide_id=self.citing_guide_id, study=study) for study in self._cited_studies],
                ignore_conflicts=True,
            )

    @property
    def citing_guide_id(self):
        return self.guide_id

    def render_html(self, text):
        html, studies = citations.link_markers(super().render_html(text))
        self._cited_studies.extend(studies)
        return html

    def clean(self):
        super().clean()
        errors = {}
        for source in self.markdown_fields:
            missing = citations.unresolved_markers(render_markdown(getattr(self, source)))
            if missing:
                errors[source] = (
                    f"No study in the evidence library matches {', '.join(missing)}. Cite a study by "
                    "[@pmid:…], [@doi:…] or its slug, and add the study to the library first."
                )
        if errors:
            raise ValidationError(errors)


class SiteSettings(MarkdownModel):
    medical_disclaimer = models.TextField(
        help_text="Shown near the top of every guide. Markdown allowed.",
        default=(
            "This guide is for information only and is not medical advice. Talk to your doctor or a "
            "registered dietitian before you start a supplement, especially if you are pregnant, "
            "nursing, taking medication or managing a health condition."
        ),
    )
    medical_disclaimer_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"medical_disclaimer": "medical_disclaimer_html"}

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1  # one row holds the site-wide texts
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The broader category, e.g. “Amino Acid” for “Gut Health”.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return " / ".join(c.name for c in self.path)

    def get_absolute_url(self):
        return reverse("guides:category_detail", kwargs={"slug": self.slug})

    @property
    def path(self):
        """This category and its ancestors, broadest first."""
        chain, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": "A category cannot sit inside itself."})
            node = node.parent


class Reviewer(MarkdownModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    credentials = models.CharField(
        max_length=100,
        blank=True,
        help_text="Letters after the name as readers know them, e.g. “RND” or “MS, RD”.",
    )
    title = models.CharField(max_length=200, blank=True, help_text="e.g. “Registered Nutritionist-Dietitian”.")
    licensing_body = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who issued the licence, e.g. “Professional Regulation Commission (PRC)”.",
    )
    licence_number = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True, help_text="A short biography for the reviewer page. Markdown allowed.")
    bio_html = models.TextField(editable=False, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer_profile",
        help_text="The login this reviewer signs off guides with.",
    )

    markdown_fields = {"bio": "bio_html"}

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("guides:reviewer_detail", kwargs={"slug": self.slug})

    @property
    def missing_credentials(self):
        """What readers would not see to trust this reviewer, in words for editors."""
        required = [
            ("credentials", "credentials"),
            ("licensing_body", "licensing body"),
            ("licence_number", "licence number"),
        ]
        return [label for field, label in required if not getattr(self, field).strip()]


class GuideQuerySet(models.QuerySet):
    def published(self, at=None):
        """What readers see: live guides whose publishing time has come."""
        at = at or timezone.now()
        return self.filter(status=Guide.Status.PUBLISHED, published_at__lte=at, draft_of__isnull=True)

    def live(self):
        """Guides as readers know them, not the pending changes editors work on."""
        return self.filter(draft_of__isnull=True)

    def changed_since_sign_off(self):
        """Guides whose newest version has no sign-off although an earlier one had."""
        newest = GuideRevision.objects.filter(guide=models.OuterRef("pk")).order_by("-number")
        return self.annotate(newest_signed_off_at=models.Subquery(newest.values("signed_off_at")[:1])).filter(
            newest_signed_off_at__isnull=True,
            pk__in=GuideRevision.objects.exclude(signed_off_at=None).values("guide"),
        )

    def with_stale_prices(self, at=None):
        """Guides ranking a product that has no in-stock offer with a fresh price."""
        fresh = Offer.objects.active().fresh(at).filter(in_stock=True).values("product")
        return self.filter(pk__in=RankedProduct.objects.exclude(product__in=fresh).values("guide"))

    def with_change_due(self, at=None):
        """Annotate `change_due`: a scheduled pending change whose time has come."""
        return self.annotate(
            change_due=models.Exists(Guide.objects.due_changes(at).filter(draft_of=models.OuterRef("pk"))),
        )

    def due_changes(self, at=None):
        """Pending changes scheduled to go live by `at`."""
        at = at or timezone.now()
        return self.filter(draft_of__isnull=False, scheduled_for__lte=at)

    def citing_retracted(self):
        """Guides whose references or key-benefit claims include a retracted study: they need review."""
        return self.filter(
            models.Q(pk__in=Citation.objects.filter(study__retracted=True).values("guide"))
            | models.Q(pk__in=KeyBenefit.objects.filter(claim__claim_studies__study__retracted=True).values("guide")),
        )

    def visible_to(self, user, at=None):
        if user.is_authenticated and user.has_perm("guides.view_guide"):
            return self.all()
        return self.published(at)


class Guide(CitingMarkdownModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, help_text="The guide's address: /guides/<slug>/.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="guides")
    evidence_grade = models.CharField(
        max_length=20,
        choices=EvidenceGrade.choices,
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
        related_name="guides",
        help_text="The credentialed professional who checked this guide.",
    )
    intro = models.TextField(help_text="The opening paragraphs. Markdown allowed.")
    intro_html = models.TextField(editable=False, blank=True)
    expert_take = models.TextField(
        blank=True,
        help_text="The reviewer's own view, shown as a quote with their name. Markdown allowed.",
    )
    expert_take_html = models.TextField(editable=False, blank=True)
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
    draft_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending_change",
        help_text="The live guide this pending change will replace when published.",
    )
    scheduled_for = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When this pending change goes live by itself.",
    )

    featured = models.BooleanField(
        default=False,
        help_text="Tick to show this guide under “Featured guides” at the top of the home page, once published.",
    )

    markdown_fields = {"intro": "intro_html", "expert_take": "expert_take_html"}
    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-published_at", "title"]
        permissions = [
            ("sign_off_guide", "Can sign off a guide's current version as its reviewer"),
            ("publish_guide", "Can publish, schedule and unpublish guides"),
        ]
        constraints = [
            # A pending change shares its live guide's address until it replaces it.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(draft_of__isnull=True),
                name="guides_guide_unique_live_slug",
                violation_error_message="Another guide already has this address.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (pending change)" if self.draft_of_id else self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guides:guide_detail", kwargs={"slug": self.slug})

    @property
    def citing_guide_id(self):
        return self.pk

    @property
    def grade_meaning(self):
        return EVIDENCE_GRADE_MEANINGS.get(self.evidence_grade, "")

    def text_in_page_order(self):
        """(object, HTML field) for every piece of the guide's text, in the order the page shows them."""
        yield self, "intro_html"
        for related, html_field in [
            ("key_benefits", "text_html"),
            ("ranked_products", "verdict_html"),
            ("sections", "body_html"),
            ("complaints", "answer_html"),
            ("safety_warnings", "text_html"),
        ]:
            for part in getattr(self, related).all():
                yield part, html_field
        yield self, "expert_take_html"
        for faq in self.faqs.all():
            yield faq, "answer_html"

    def add_cited_studies(self):
        """Make sure every study the stored text cites is in the guide's references."""
        ids = {
            pk
            for part, html_field in self.text_in_page_order()
            for pk in citations.cited_study_ids(getattr(part, html_field))
        }
        existing = Study.objects.filter(pk__in=ids).values_list("pk", flat=True)
        Citation.objects.bulk_create([Citation(guide=self, study_id=pk) for pk in existing], ignore_conflicts=True)

    def grade_exceeds(self, claims):
        """True when the guide's grade is above the best grade of `claims`."""
        if self.evidence_grade not in EvidenceGrade.values:
            return False  # the form reports a missing grade itself
        best = max((claim.grade for claim in claims), key=EvidenceGrade.rank, default=EvidenceGrade.INSUFFICIENT)
        return EvidenceGrade.rank(self.evidence_grade) > EvidenceGrade.rank(best)

    def check_grade_against(self, claims):
        """Refuse a grade above the key-benefit claims' best grade unless a reason is given.

        The admin calls this with the claims being saved; the guide's own
        clean() cannot, as it runs before the key benefits are saved.
        """
        if self.grade_exceeds(claims) and not self.grade_override_reason.strip():
            best = max((claim.grade for claim in claims), key=EvidenceGrade.rank, default=EvidenceGrade.INSUFFICIENT)
            raise ValidationError(
                f"The guide's grade ({EvidenceGrade(self.evidence_grade).label}) is higher than its best key-benefit "
                f"claim ({EvidenceGrade(best).label}). Lower the grade, or write a reason for a grade above the "
                "claims.",
            )

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )

    @property
    def root(self):
        """The guide as readers know it: itself, or the live guide a pending change belongs to."""
        return self.draft_of if self.draft_of_id else self

    @property
    def is_locked(self):
        """A published guide is changed through a pending change, never in place."""
        return self.status == self.Status.PUBLISHED and not self.draft_of_id


class GuidePart(models.Model):
    """A block of a guide that editors put in order."""

    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class KeyBenefit(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="key_benefits")
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
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="ranked_products")
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
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200, help_text="e.g. “How it works”, “What to look for”, “Dosage”.")
    body = models.TextField(help_text="Markdown allowed. Headings you add start one level below this heading.")
    body_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"body": "body_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return self.heading


class Complaint(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="complaints")
    complaint = models.CharField(max_length=300, help_text="What customers say, in their words.")
    answer = models.TextField(help_text="What the evidence or the reviewer says about it. Markdown allowed.")
    answer_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"answer": "answer_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return self.complaint


class SafetyWarning(GuidePart, CitingMarkdownModel):
    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        CAUTION = "caution", "Caution"
        INFO = "info", "Information"

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="safety_warnings")
    severity = models.CharField(
        max_length=10,
        choices=Severity.choices,
        default=Severity.CAUTION,
        help_text="Critical warnings stand out and are read first by screen readers.",
    )
    text = models.TextField(help_text="Markdown allowed.")
    text_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"text": "text_html"}

    class Meta(GuidePart.Meta):
        pass

    def __str__(self):
        return f"{self.get_severity_display()}: {self.text[:60]}"


class FAQ(GuidePart, CitingMarkdownModel):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="faqs")
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
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="citations")
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


class GuideRevisionQuerySet(models.QuerySet):
    def published(self, at=None):
        at = at or timezone.now()
        return self.filter(published_at__lte=at)


class GuideRevision(models.Model):
    """One saved version of a guide with all its parts, as editors left it.

    Every save that changes content adds one. A sign-off names the revision
    it approved; publishing marks the revision that went live, with the
    editor's note for readers ("What changed") and any gate override.
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="revisions")
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
    signed_off_by = models.ForeignKey(
        Reviewer,
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
        return f"{self.guide.root} — version {self.number}"

    @property
    def is_signed_off(self):
        return self.signed_off_at is not None

    @property
    def change_lines(self):
        return [line.strip() for line in self.change_note.splitlines() if line.strip()]


# Reader site


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
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:page_detail", kwargs={"slug": self.slug})

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

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="correction_requests")
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
