"""Claims: a sentence the studies support or not, and the rule that proposes its grade from them."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from richtext.markdown import render_markdown

from .models import EVIDENCE_GRADE_MEANINGS, EvidenceGrade, Study

HUMAN_DESIGNS = {
    Study.Design.META_ANALYSIS,
    Study.Design.SYSTEMATIC_REVIEW,
    Study.Design.RCT,
    Study.Design.OBSERVATIONAL,
}
CONTROLLED_DESIGNS = {Study.Design.META_ANALYSIS, Study.Design.SYSTEMATIC_REVIEW, Study.Design.RCT}
# Strongest design first: the order of rows in a claim's evidence table.
DESIGN_ORDER = [
    Study.Design.META_ANALYSIS,
    Study.Design.SYSTEMATIC_REVIEW,
    Study.Design.RCT,
    Study.Design.OBSERVATIONAL,
    Study.Design.ANIMAL,
    Study.Design.IN_VITRO,
    Study.Design.OTHER,
]

# The rule for editors, shown in the claim admin and copied in the README.
GRADE_RULE = [
    "Only the claim's linked studies count, each with its stance; retracted studies are left out.",
    "Strong: a supporting meta-analysis, or at least two supporting randomised controlled trials (RCTs), "
    "and no RCT, meta-analysis or systematic review that contradicts the claim.",
    "Moderate: otherwise, at least one supporting RCT, meta-analysis or systematic review, and more of "
    "those support the claim than contradict it.",
    "Limited: otherwise, at least one study in people (RCT, meta-analysis, systematic review or "
    "observational study) that supports the claim or shows mixed results.",
    "Insufficient: everything else. Animal studies, in-vitro studies and narrative reviews alone never "
    "rise above insufficient.",
    "A reviewer may set a different grade only with a written reason; the claim's page then says the "
    "grade was set by override.",
]


def propose_grade(evidence):
    """The grade GRADE_RULE gives to (design, stance) pairs of a claim's non-retracted studies."""
    supporting = Counter(design for design, stance in evidence if stance == ClaimStudy.Stance.SUPPORTS)
    contradicting = Counter(design for design, stance in evidence if stance == ClaimStudy.Stance.CONTRADICTS)
    mixed = Counter(design for design, stance in evidence if stance == ClaimStudy.Stance.MIXED)
    controlled_for = sum(supporting[design] for design in CONTROLLED_DESIGNS)
    controlled_against = sum(contradicting[design] for design in CONTROLLED_DESIGNS)
    if (supporting[Study.Design.META_ANALYSIS] or supporting[Study.Design.RCT] >= 2) and not controlled_against:
        return EvidenceGrade.STRONG
    if controlled_for and controlled_for > controlled_against:
        return EvidenceGrade.MODERATE
    if any(supporting[design] or mixed[design] for design in HUMAN_DESIGNS):
        return EvidenceGrade.LIMITED
    return EvidenceGrade.INSUFFICIENT


class Claim(models.Model):
    statement = models.CharField(
        max_length=300,
        unique=True,
        help_text="One testable sentence, e.g. “L-glutamine reduces intestinal permeability”.",
    )
    slug = models.SlugField(max_length=120, unique=True, help_text="The claim's address: /evidence/claims/<slug>/.")
    summary = models.TextField(
        blank=True,
        help_text="What the studies add up to, in plain words, for the claim's page. Markdown allowed.",
    )
    summary_html = models.TextField(editable=False, blank=True)
    grade_override = models.CharField(
        "override grade",
        max_length=20,
        choices=EvidenceGrade.choices,
        blank=True,
        help_text="Leave empty to use the grade proposed from the studies. Needs a reason.",
    )
    grade_override_reason = models.TextField(
        "reason for the override",
        blank=True,
        help_text="Why the proposed grade is wrong for this claim. Readers see this reason.",
    )
    studies = models.ManyToManyField(Study, through="ClaimStudy", related_name="claims")

    history = HistoricalRecords(excluded_fields=["summary_html"])

    class Meta:
        ordering = ["statement"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_override="") | ~models.Q(grade_override_reason=""),
                name="evidence_claim_override_needs_reason",
                violation_error_message="An override grade needs a written reason.",
            ),
        ]

    def __str__(self):
        return self.statement

    def save(self, *args, **kwargs):
        self.summary_html = render_markdown(self.summary)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evidence:claim_detail", kwargs={"slug": self.slug})

    @property
    def evidence(self):
        """The claim's study links, strongest design and newest first (uses prefetched links)."""
        links = self.claim_studies.all()
        return sorted(links, key=lambda link: (DESIGN_ORDER.index(link.study.design), -link.study.year))

    @property
    def proposed_grade(self):
        return propose_grade(
            [(link.study.design, link.stance) for link in self.claim_studies.all() if not link.study.retracted],
        )

    @property
    def grade(self):
        return self.grade_override or self.proposed_grade

    @property
    def grade_is_override(self):
        return bool(self.grade_override)

    @property
    def grade_label(self):
        return EvidenceGrade(self.grade).label

    @property
    def grade_meaning(self):
        return EVIDENCE_GRADE_MEANINGS[self.grade]

    @property
    def proposed_grade_label(self):
        return EvidenceGrade(self.proposed_grade).label

    def clean(self):
        if self.grade_override and not self.grade_override_reason.strip():
            raise ValidationError({"grade_override_reason": "Write why the proposed grade is overridden."})
        if self.grade_override_reason.strip() and not self.grade_override:
            raise ValidationError({"grade_override": "Choose the override grade, or clear the reason."})


class ClaimStudy(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        MIXED = "mixed", "Mixed"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claim_studies")
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="claim_links")
    stance = models.CharField(
        max_length=20,
        choices=Stance.choices,
        help_text="Does this study support the claim, contradict it, or show mixed results?",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional: what this study shows for this claim, if its one-line finding is not enough.",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = "study for this claim"
        verbose_name_plural = "studies for this claim"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "study"],
                name="evidence_claimstudy_unique_study",
                violation_error_message="This study is already linked to this claim.",
            ),
        ]

    def __str__(self):
        return f"{self.study} ({self.get_stance_display().lower()})"
