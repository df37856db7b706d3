from django.core.exceptions import ValidationError

# Larger than any photo needs to be; readers see WebP copies at most 960 pixels wide.
PHOTO_MAX_MB = 5


def validate_photo_size(photo):
    if photo and photo.size > PHOTO_MAX_MB * 1024 * 1024:
        raise ValidationError(
            f"The photo is {photo.size / 1024 / 1024:.1f} MB; photos up to {PHOTO_MAX_MB} MB can be uploaded. "
            "Save it smaller, e.g. 1200 pixels wide, and upload it again.",
        )
