"""Photos reach readers with DEBUG off: from this server's disk through one narrow view, or from an S3 bucket."""

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from glutasite.tests.test_settings import manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(settings):
    settings.DEBUG = False
    return default_storage.save("products/tub.240w.webp", ContentFile(b"RIFF\x00\x00\x00\x00WEBPVP8 "))


def test_a_photo_is_served_from_disk_with_debug_off_and_may_be_cached(client, photo):
    response = client.get(f"/media/{photo}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"RIFF")
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=2592000"


@pytest.mark.parametrize(
    "path",
    [
        "/media/products/missing.webp",
        "/media/../glutasite/settings.py",
        "/media/%2e%2e/glutasite/settings.py",
        "/media/products/..%2f..%2fmanage.py",
        "/media//etc/passwd",
        "/media/products/notes.txt",
    ],
)
def test_nothing_but_photos_in_the_media_folder_is_served(client, photo, path):
    default_storage.save("products/notes.txt", ContentFile(b"not a photo"))
    assert client.get(path).status_code == 404


def test_the_media_view_answers_only_to_reading(client, photo):
    assert client.post(f"/media/{photo}").status_code in {403, 405}


def test_favicon_ico_answers_with_our_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert finders.find("img/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]


def test_every_page_names_our_icons(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert '<img src="/static/img/favicon.svg" width="32" height="32" alt="">Glutasite</a>' in html


SHOW_STORAGE = (
    "from django.core.files.storage import default_storage as s; from django.conf import settings as c; "
    "from django.urls import resolve, Resolver404\n"
    "print(s.__class__.__name__); print(s.url('products/tub.240w.webp'))\n"
    "print(' '.join(c.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))\n"
    "try:\n    resolve('/media/products/tub.240w.webp'); print('served here')\n"
    "except Resolver404:\n    print('not served here')"
)
S3 = {
    "MEDIA_S3_BUCKET": "glutasite-photos",
    "MEDIA_S3_ACCESS_KEY_ID": "test-key",
    "MEDIA_S3_SECRET_ACCESS_KEY": "test-secret",
    "MEDIA_S3_REGION": "eu-central-1",
}


def storage_as_configured(**env):
    result = manage("shell", "--no-imports", "-c", SHOW_STORAGE, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")


def test_without_a_bucket_photos_are_local_files_served_here():
    kind, url, img_src, served = storage_as_configured()[:4]
    assert kind == "FileSystemStorage"
    assert url == "/media/products/tub.240w.webp"
    assert served == "served here"


def test_an_s3_compatible_bucket_holds_photos_under_plain_addresses_the_page_policy_allows():
    kind, url, img_src, served = storage_as_configured(**S3, MEDIA_S3_ENDPOINT_URL="https://s3.example.net")[:4]
    assert kind == "S3Storage"
    assert url.startswith("https://s3.example.net/glutasite-photos/products/tub.240w.webp")
    assert "?" not in url  # never a signed, expiring address: pages and CDNs cache these
    assert "https://s3.example.net" in img_src.split()
    assert served == "not served here"


def test_a_custom_domain_in_front_of_the_bucket_is_what_readers_see():
    kind, url, img_src, _ = storage_as_configured(**S3, MEDIA_URL="https://media.example.com/")[:4]
    assert url == "https://media.example.com/products/tub.240w.webp"
    assert "https://media.example.com" in img_src.split()
