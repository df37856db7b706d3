from django.core.exceptions import ValidationError
from django.db import models

from products.shop_links import route_shop_links
from richtext.markdown import render_markdown
from richtext.models import MarkdownModel

from .. import citations


class CitingMarkdownModel(MarkdownModel):
    """Guide text whose citation markers ([@pmid:…], [@doi:…], [@slug]) link to studies.

    Every study a marker cites gets a row in the guide's references, so the
    study cannot be deleted while cited and its page lists the guide. Links to
    a known shop go through /go/ as affiliate links (products.shop_links).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._cited_studies = []
        super().save(*args, **kwargs)
        if self._cited_studies:
            citation = self._meta.apps.get_model("guides", "Citation")
            citation.objects.bulk_create(
                [citation(guide_id=self.citing_guide_id, study=study) for study in self._cited_studies],
                ignore_conflicts=True,
            )

    @property
    def citing_guide_id(self):
        return self.guide_id

    def render_html(self, text):
        html, studies = citations.link_markers(super().render_html(text))
        self._cited_studies.extend(studies)
        return route_shop_links(html)

    def clean(self):
        super().clean()
        errors = {}
        for source in self.markdown_fields:
            missing = citations.unresolved_markers([render_markdown(getattr(self, source))])
            if missing:
                errors[source] = (
                    f"No study in the evidence library matches {', '.join(missing)}. Cite a study by "
                    "[@pmid:…], [@doi:…] or its slug, and add the study to the library first."
                )
        if errors:
            raise ValidationError(errors)


class GuidePart(models.Model):
    """A block of a guide that editors put in order."""

    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        abstract = True
        ordering = ["order", "pk"]
