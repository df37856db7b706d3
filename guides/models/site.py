from django.db import models

from richtext.models import MarkdownModel


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
