import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guides.models import Reviewer
from guides.tests.factories import ReviewerFactory
from images.validators import validate_photo_size
from products.tests.factories import jpeg

pytestmark = pytest.mark.django_db


def test_a_reviewer_portrait_uploaded_in_the_admin_gets_its_copies(admin_client):
    reviewer = ReviewerFactory()
    data = {
        field: getattr(reviewer, field)
        for field in ["name", "slug", "credentials", "title", "licensing_body", "licence_number", "bio"]
    }
    upload = jpeg((900, 900))
    data["photo"] = SimpleUploadedFile("portrait.jpg", upload.read(), content_type="image/jpeg")
    response = admin_client.post(reverse("admin:guides_reviewer_change", args=[reviewer.pk]), data)
    assert response.status_code == 302
    reviewer = Reviewer.objects.get(pk=reviewer.pk)
    assert (reviewer.photo_width, reviewer.photo_height) == (900, 900)
    assert [r.width for r in reviewer.portrait.renditions] == [240, 480, 900]


def test_a_photo_over_five_megabytes_is_refused_in_plain_words():
    photo = SimpleUploadedFile("huge.jpg", b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="photos up to 5 MB can be uploaded"):
        validate_photo_size(photo)
