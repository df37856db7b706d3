"""Photos readers see: WebP copies at a few widths, made once when a photo is saved.

A model with photos inherits `ResponsiveImages` and names its photo fields in
`responsive_image_fields`; each field `<name>` has `<name>_width` and
`<name>_height` beside it. Saving a new photo writes `<stem>.<width>w.webp` for
each width in WIDTHS narrower than the photo, and one at the photo's own width
when it is narrower than the widest, to the photo's own storage (local disk or
the S3 bucket), and stores the photo's size as readers see it (EXIF rotation
applied). Pages list the copies from the stored size alone, with no call to
the storage while a reader waits, and always give the browser width and
height so nothing moves as the photo loads. The uploaded original is never
shown to readers: the copies carry no camera metadata.
"""

import io
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps

WIDTHS = (240, 480, 960)
WEBP_QUALITY = 80


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    renditions: tuple  # Rendition, narrowest first

    @property
    def srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)

    def for_width(self, width):
        """The narrowest copy at least `width` wide, else the widest there is."""
        return next((r for r in self.renditions if r.width >= width), self.renditions[-1])


def rendition_widths(width):
    widest = min(width, WIDTHS[-1])
    return sorted({w for w in WIDTHS if w < widest} | {widest})


def rendition_name(name, width):
    stem, _ = posixpath.splitext(name)
    return f"{stem}.{width}w.webp"


def picture(field_file, width, height):
    """The copies of a saved photo, or None when there is no photo or its copies are not made yet."""
    if not field_file or not width or not height:
        return None
    storage = field_file.storage
    return Picture(
        tuple(
            Rendition(storage.url(rendition_name(field_file.name, w)), w, round(height * w / width))
            for w in rendition_widths(width)
        ),
    )


def make_renditions(field_file):
    """Write the photo's WebP copies to its storage; returns the photo's (width, height) as shown."""
    storage = field_file.storage
    with field_file.open("rb") as source:
        image = ImageOps.exif_transpose(Image.open(source))
        image.load()
    if image.mode not in {"RGB", "RGBA"}:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    for width in rendition_widths(image.width):
        copy = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        data = io.BytesIO()
        copy.save(data, "WEBP", quality=WEBP_QUALITY, method=4)
        name = rendition_name(field_file.name, width)
        if storage.exists(name):
            storage.delete(name)  # a copy of an earlier photo under this name is stale
        storage.save(name, ContentFile(data.getvalue()))
    return image.width, image.height


class ResponsiveImages(models.Model):
    """Keeps each photo field's size and WebP copies up to date whenever the model is saved."""

    responsive_image_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        saved = getattr(self, "_saved_photos", {})
        for name in self.responsive_image_fields:
            photo = getattr(self, name)
            size_fields = (f"{name}_width", f"{name}_height")
            if not photo:
                size = (None, None)
            elif photo.name != saved.get(name) or not getattr(self, size_fields[0]):
                size = make_renditions(photo)
            else:
                continue
            values = dict(zip(size_fields, size, strict=True))
            if values != {field: getattr(self, field) for field in size_fields}:
                type(self)._default_manager.filter(pk=self.pk).update(**values)
                for field, value in values.items():
                    setattr(self, field, value)
        self._saved_photos = {name: getattr(self, name).name or None for name in self.responsive_image_fields}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_photos = {name: instance.__dict__.get(name) for name in cls.responsive_image_fields}
        return instance
