"""Reader pages are compressed as served; pages that carry a CSRF token or are for staff never are."""

import gzip

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEMO_GUIDE = "/guides/l-glutamine-for-gut-health/"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)


def get(client, path):
    return client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")


def test_the_demo_guide_reaches_a_phone_in_at_most_12_kb(demo, client):
    plain = client.get(DEMO_GUIDE)
    assert "Content-Encoding" not in plain  # a client that asks for no compression gets none
    for attempt in ("rendered", "from the page cache"):
        response = get(client, DEMO_GUIDE)
        assert response["Content-Encoding"] == "gzip", attempt
        assert "Accept-Encoding" in response["Vary"]
        assert len(response.content) <= 12 * 1024, attempt
        assert gzip.decompress(response.content) == plain.content


@pytest.mark.parametrize("path", ["/", "/guides/", "/search/?q=glutamine", "/products/", "/evidence/"])
def test_reader_pages_are_compressed(demo, client, path):
    assert get(client, path)["Content-Encoding"] == "gzip"


def test_a_page_with_a_csrf_token_is_never_compressed(demo, client):
    response = get(client, reverse("readers:newsletter_signup"))
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Content-Encoding" not in response


def test_pages_for_signed_in_staff_are_never_compressed(demo, editor_client):
    for path in [DEMO_GUIDE, reverse("admin:index")]:
        assert "Content-Encoding" not in get(editor_client, path), path
