import pytest

from guides.tests.factories import GuideFactory

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "guide", "/admin/login/"])
def test_pages_forbid_inline_and_foreign_scripts(client, path):
    if path == "guide":
        path = GuideFactory().get_absolute_url()
    policy = directives(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])


def test_pages_refuse_framing_and_sniffing(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/robots.txt"])
def test_pages_deny_browser_features_the_site_never_uses(client, path):
    policy = dict(part.strip().split("=", 1) for part in client.get(path)["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]:
        assert policy[feature] == "()"
