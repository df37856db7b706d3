"""The base for models whose editors write Markdown.

Each Markdown field has a twin holding its safe HTML, rendered on save so a
page never renders Markdown while a reader waits. Bulk writes that skip
save() call `render_markdown_fields()` themselves.
"""

from django.db import models

from .markdown import render_markdown


class MarkdownModel(models.Model):
    # Source field -> the field that stores its HTML.
    markdown_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        super().save(*args, **kwargs)

    def render_markdown_fields(self):
        for source, target in self.markdown_fields.items():
            setattr(self, target, self.render_html(getattr(self, source)))

    def render_html(self, text):
        return render_markdown(text)
