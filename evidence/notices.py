"""The notices journals publish about papers we cite, as the retraction watch found them.

One row per notice (a Retraction Watch record about one of our studies):
what it is, when, why, and where to read it. The study's own flags
(`retracted`, `notice`) say what readers see; these rows say where that came
from and when we learnt it, which the review queue compares with the day
each citing guide was last reviewed.
"""

from django.db import models
from django.utils import timezone


class StudyNotice(models.Model):
    class Nature(models.TextChoices):
        RETRACTION = "retraction", "Retraction"
        EXPRESSION_OF_CONCERN = "expression_of_concern", "Expression of concern"
        CORRECTION = "correction", "Correction"
        REINSTATEMENT = "reinstatement", "Reinstatement"

    study = models.ForeignKey("evidence.Study", on_delete=models.CASCADE, related_name="notices")
    nature = models.CharField(max_length=30, choices=Nature.choices)
    record_id = models.CharField("Retraction Watch record", max_length=30)
    notice_on = models.DateField("notice date", null=True, blank=True)
    reason = models.TextField(blank=True)
    notice_doi = models.CharField("DOI of the notice", max_length=255, blank=True)
    notice_pmid = models.CharField("PMID of the notice", max_length=9, blank=True)
    found_at = models.DateTimeField("found", default=timezone.now)

    class Meta:
        ordering = ["study", "notice_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["study", "record_id"], name="evidence_studynotice_once_per_record"),
        ]

    def __str__(self):
        return f"{self.get_nature_display()} of {self.study}"

    @property
    def url(self):
        if self.notice_doi:
            return f"https://doi.org/{self.notice_doi}"
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.notice_pmid}/" if self.notice_pmid else ""
