import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from richtext.markdown import render_markdown

PMID_VALIDATOR = RegexValidator(r"^[1-9][0-9]{0,8}$", "A PMID is digits only, such as 7902229.")
PMCID_VALIDATOR = RegexValidator(r"^PMC[0-9]+$", "A PMCID is PMC followed by digits, such as PMC1234567.")
DOI_VALIDATOR = RegexValidator(
    r"^10\.[0-9]{4,9}/\S+$",
    "A DOI starts with 10., four or more digits and a slash, such as 10.1016/0140-6736(93)91285-4.",
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(value):
    return _DOI_PREFIX.sub("", (value or "").strip())


def normalise_title(title):
    """The title as a comparison key: no accents, case, punctuation or extra spaces.

    Two exports of one paper differ in exactly these ways ("Glutamine and the
    Preservation of Gut Integrity." vs "Glutamine and the preservation of gut
    integrity"), so de-duplication compares this key with the year.
    """
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())[:500]


class EvidenceGrade(models.TextChoices):
    STRONG = "strong", "Strong evidence"
    MODERATE = "moderate", "Moderate evidence"
    LIMITED = "limited", "Limited evidence"
    INSUFFICIENT = "insufficient", "Insufficient evidence"

    @classmethod
    def rank(cls, grade):
        """0 for insufficient up to 3 for strong, so grades can be compared."""
        return [cls.INSUFFICIENT, cls.LIMITED, cls.MODERATE, cls.STRONG].index(grade)


EVIDENCE_GRADE_MEANINGS = {
    EvidenceGrade.STRONG: "Consistent results from several well-run human trials or a meta-analysis.",
    EvidenceGrade.MODERATE: "Some good human trials point the same way, but more are needed.",
    EvidenceGrade.LIMITED: "Small or few human studies; results are promising but uncertain.",
    EvidenceGrade.INSUFFICIENT: "Mostly animal, lab or anecdotal evidence; effects in people are unproven.",
}


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="e.g. “Gut barrier”, “IBS”, “Exercise”.")
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StudyQuerySet(models.QuerySet):
    def with_identifier(self, *, pmid="", doi=""):
        """Studies that share a PMID or (case-insensitively) a DOI."""
        query = models.Q(pk__in=[])
        if pmid:
            query |= models.Q(pmid=pmid)
        if doi:
            query |= models.Q(doi__iexact=normalise_doi(doi))
        return self.filter(query)

    def retracted(self):
        return self.filter(retracted=True)


class Study(models.Model):
    class Design(models.TextChoices):
        META_ANALYSIS = "meta_analysis", "Meta-analysis"
        SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
        RCT = "rct", "Randomised controlled trial"
        OBSERVATIONAL = "observational", "Observational study"
        ANIMAL = "animal", "Animal study"
        IN_VITRO = "in_vitro", "In vitro study"
        OTHER = "other", "Review or other"

    class Result(models.TextChoices):
        BENEFIT = "benefit", "Benefit"
        NO_EFFECT = "no_effect", "No effect"
        HARM = "harm", "Harm"
        MIXED = "mixed", "Mixed"

    title = models.CharField(max_length=500)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Used in the study's address and in citation markers such as [@vanderhulst-1993].",
    )
    authors = models.CharField(
        max_length=1000,
        help_text="As printed in the reference list, e.g. “van der Hulst RR, van Kreel BK, von Meyenfeldt MF”.",
    )
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    pmid = models.CharField(
        "PMID",
        max_length=9,
        blank=True,
        validators=[PMID_VALIDATOR],
        help_text="PubMed identifier, digits only. Links the reference to PubMed.",
    )
    pmcid = models.CharField(
        "PMCID",
        max_length=20,
        blank=True,
        validators=[PMCID_VALIDATOR],
        help_text="PubMed Central identifier for the free full text, e.g. PMC1234567.",
    )
    doi = models.CharField(
        "DOI",
        max_length=255,
        blank=True,
        validators=[DOI_VALIDATOR],
        help_text="Digital Object Identifier, e.g. 10.1016/0140-6736(93)91285-4. A pasted doi.org link is trimmed.",
    )
    url = models.URLField(
        "Other URL",
        max_length=500,
        blank=True,
        help_text="Only for studies without a PMID or DOI.",
    )
    design = models.CharField(max_length=20, choices=Design.choices)
    participants = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Number of people (or animals) studied. Leave empty for reviews.",
    )
    finding = models.CharField(
        max_length=300,
        blank=True,
        help_text="One line in plain words: what the study found.",
    )
    summary = models.TextField(
        blank=True,
        help_text="A few paragraphs for the study's page: what was done and what it means. Markdown allowed.",
    )
    summary_html = models.TextField(editable=False, blank=True)
    population = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who was studied, e.g. “Adults with IBS-D after a gut infection”.",
    )
    dose = models.CharField("dose studied", max_length=200, blank=True, help_text="e.g. “5 g three times a day”.")
    duration = models.CharField("duration studied", max_length=100, blank=True, help_text="e.g. “8 weeks”.")
    outcome = models.CharField(
        "outcome measured",
        max_length=300,
        blank=True,
        help_text="What was measured, e.g. “Lactulose/mannitol ratio (gut permeability)”.",
    )
    result = models.CharField(
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text="What the study found for its main outcome. Leave empty for reviews that test nothing.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="studies")
    retracted = models.BooleanField(
        default=False,
        help_text="Tick when the journal has retracted the paper. Every guide citing it then shows a notice "
        "and appears under “Cites a retracted study” in the guide list.",
    )
    retracted_on = models.DateField("retracted on", null=True, blank=True)
    retraction_note = models.TextField(
        blank=True,
        help_text="Why it was retracted, in a sentence readers will see, e.g. “Data could not be verified.”",
    )
    # The journal's latest notice about the paper (retraction watch, evidence/notices.py, or typed by an editor).
    notice = models.CharField(
        "notice other than a retraction",
        max_length=30,
        choices=[("expression_of_concern", "Expression of concern"), ("correction", "Correction")],
        blank=True,
        help_text="Readers see it at the study and wherever it is cited; it does not change any grade.",
    )
    notice_on = models.DateField("notice date", null=True, blank=True)
    notice_url = models.URLField("link to the notice", max_length=500, blank=True, help_text="Of the retraction too.")
    title_key = models.CharField(max_length=500, editable=False, db_index=True, default="")

    objects = StudyQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["summary_html"])

    class Meta:
        ordering = ["-year", "title"]
        verbose_name_plural = "studies"
        constraints = [
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~models.Q(pmid=""),
                name="evidence_study_unique_pmid",
                violation_error_message="Another study already has this PMID.",
            ),
            models.UniqueConstraint(
                fields=["pmcid"],
                condition=~models.Q(pmcid=""),
                name="evidence_study_unique_pmcid",
                violation_error_message="Another study already has this PMCID.",
            ),
            models.UniqueConstraint(
                Lower("doi"),
                condition=~models.Q(doi=""),
                name="evidence_study_unique_doi",
                violation_error_message="Another study already has this DOI.",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1800) & models.Q(year__lte=2100),
                name="evidence_study_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(retracted=True) | models.Q(retracted_on__isnull=True, retraction_note=""),
                name="evidence_study_retraction_needs_flag",
                violation_error_message="A retraction date or note needs the retracted box ticked.",
            ),
        ]

    def __str__(self):
        return f"{self.first_author} ({self.year}) {self.title}"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if not self.slug:
            self.slug = self.make_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evidence:study_detail", kwargs={"slug": self.slug})

    @property
    def first_author(self):
        first = self.authors.split(",")[0].strip()
        return f"{first} et al." if "," in self.authors else first

    @property
    def authors_sentence(self):
        """The authors as they open a reference: ending in one full stop, even after “et al.”."""
        return self.authors if self.authors.endswith(".") else f"{self.authors}."

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def links(self):
        """Every way a reader can open the study, most authoritative first."""
        links = [
            ("PubMed", self.pubmed_url),
            ("Full text (PMC)", self.pmc_url),
            ("DOI", self.doi_url),
            ("Source", self.url),
        ]
        return [(label, href) for label, href in links if href]

    def fill_derived_fields(self):
        """Everything save() works out from what an editor typed; the importer's bulk writes call it too."""
        self.normalise_identifiers()
        self.title_key = normalise_title(self.title)
        self.summary_html = render_markdown(self.summary)

    def normalise_identifiers(self):
        self.doi = normalise_doi(self.doi)
        self.pmcid = self.pmcid.strip().upper()
        self.pmid = self.pmid.strip()

    def clean_fields(self, exclude=None):
        # Tidy pasted identifiers before they are validated.
        self.normalise_identifiers()
        super().clean_fields(exclude=exclude)

    def clean(self):
        if not (self.pmid or self.doi or self.url):
            raise ValidationError("Give a PMID, a DOI or a URL so readers can open the study.")
        if self.retracted and not self.retracted_on:
            raise ValidationError({"retracted_on": "Give the date the journal retracted the paper."})
        if not self.retracted and (self.retracted_on or self.retraction_note.strip()):
            raise ValidationError({"retracted": "Tick “retracted” or clear the retraction date and note."})

    def slug_base(self):
        surname = self.authors.split(",")[0].split()[:-1] or self.authors.split()[:1]
        return slugify(f"{' '.join(surname)} {self.year} {' '.join(self.title.split()[:4])}")[:100]

    def next_free_slug(self, taken):
        base = self.slug_base()
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def make_slug(self):
        taken = set(
            Study.objects.filter(slug__startswith=self.slug_base()).exclude(pk=self.pk).values_list("slug", flat=True)
        )
        return self.next_free_slug(taken)


# Claims and their grading rule live in claims.py, notices in notices.py; both are imported here so Django
# and every caller find the models in evidence.models.
from .claims import (  # noqa: E402, F401
    CONTROLLED_DESIGNS,
    DESIGN_ORDER,
    GRADE_RULE,
    HUMAN_DESIGNS,
    Claim,
    ClaimStudy,
    propose_grade,
)
from .notices import StudyNotice  # noqa: E402, F401  the retraction watch's record, beside the studies
