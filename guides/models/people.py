"""Where a guide sits (its category) and who vouches for it (its reviewer)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from images.renditions import ResponsiveImages, picture
from images.validators import validate_photo_size
from richtext.models import MarkdownModel


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


class Reviewer(ResponsiveImages, MarkdownModel):
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
    photo = models.ImageField(
        upload_to="reviewers/",
        blank=True,
        validators=[validate_photo_size],
        help_text="A portrait, square if you can. Readers see it beside the name.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer_profile",
        help_text="The login this reviewer signs off guides with.",
    )

    markdown_fields = {"bio": "bio_html"}
    responsive_image_fields = ("photo",)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("guides:reviewer_detail", kwargs={"slug": self.slug})

    @property
    def portrait(self):
        return picture(self.photo, self.photo_width, self.photo_height)

    @property
    def missing_credentials(self):
        """What readers would not see to trust this reviewer, in words for editors."""
        required = [
            ("credentials", "credentials"),
            ("licensing_body", "licensing body"),
            ("licence_number", "licence number"),
        ]
        return [label for field, label in required if not getattr(self, field).strip()]
