import pytest
from django.core.exceptions import ValidationError

from outbound.addresses import check_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_allowed(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://shop.example/p/1?tag=g-20", True),
        ("http://shop.example/p/1", False),
        ("http://127.0.0.1:8012/demo-feed.csv", True),
        ("http://localhost:8012/demo-feed.csv", False),
        ("ftp://shop.example/feed.csv", False),
        ("shop.example/p/1", False),
    ],
)
def test_plain_http_only_for_listed_hosts(local_allowed, url, allowed):
    if allowed:
        check_address(url)
    else:
        with pytest.raises(ValidationError):
            check_address(url)


def test_nothing_is_allowed_over_plain_http_by_default_outside_development(settings):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError, match="https://"):
        check_address("http://127.0.0.1:8012/demo-feed.csv")
