import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify

PMID_VALIDATOR = RegexValidator(r"^[1-9][0-9]{0,8}$", "A PMID is digits only, such as 7902229.")
PMCID_VALIDATOR = RegexValidator(r"^PMC[0-9]+$", "A PMCID is PMC followed by digits, such as PMC1234567.")
DOI_VALIDATOR = RegexValidator(
    r"^10\.[0-9]{4,9}/\S+$",
    "A DOI starts with 10., four or more digits and a slash, such as 10.1016/0140-6736(93)91285-4.",
)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(value):
    return _DOI_PREFIX.sub("", (value or "").strip())


class StudyQuerySet(models.QuerySet):
    def with_identifier(self, *, pmid="", doi=""):
        """Studies that share a PMID or (case-insensitively) a DOI."""
        query = models.Q(pk__in=[])
        if pmid:
            query |= models.Q(pmid=pmid)
        if doi:
            query |= models.Q(doi__iexact=normalise_doi(doi))
        return self.filter(query)


class Study(models.Model):
    class Design(models.TextChoices):
        META_ANALYSIS = "meta_analysis", "Meta-analysis"
        SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
        RCT = "rct", "Randomised controlled trial"
        OBSERVATIONAL = "observational", "Observational study"
        ANIMAL = "animal", "Animal study"
        IN_VITRO = "in_vitro", "In vitro study"
        OTHER = "other", "Review or other"

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

    objects = StudyQuerySet.as_manager()

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
        ]

    def __str__(self):
        return f"{self.first_author} ({self.year}) {self.title}"

    def save(self, *args, **kwargs):
        self.normalise_identifiers()
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

    def make_slug(self):
        surname = self.authors.split(",")[0].split()[:-1] or self.authors.split()[:1]
        base = slugify(f"{' '.join(surname)} {self.year} {' '.join(self.title.split()[:4])}")[:100]
        slug, n = base, 2
        while Study.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug
