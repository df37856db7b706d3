"""The https rule for outside addresses, relaxed only for hosts the operator lists.

Affiliate links, price-feed URLs and the look-up services' base URLs must be
https://. Plain http:// is allowed only for a host in
OUTBOUND_HTTP_ALLOWED_HOSTS (environment, comma-separated, empty by
default; development allows 127.0.0.1 for the demo feed). The offer form,
the spreadsheet importer, the feeds and the checkers all ask `check_address`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

NOT_AN_ADDRESS = "Enter a full https:// address."


class InsecureAddress(ValidationError):
    """A well-formed http:// address whose host may not be reached without TLS."""


def allows_plain_http(host):
    return (host or "").lower() in {name.lower() for name in settings.OUTBOUND_HTTP_ALLOWED_HOSTS}


def check_address(url, message=NOT_AN_ADDRESS):
    """Raise ValidationError unless `url` is a full https:// address, or http:// to an allowed host."""
    URLValidator(schemes=["http", "https"], message=message)(url)
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and not allows_plain_http(parts.hostname):
        raise InsecureAddress(message, code="insecure")


@deconstructible
class OutsideAddressValidator:
    """The model-field form of `check_address`."""

    def __init__(self, message=NOT_AN_ADDRESS):
        self.message = message

    def __call__(self, value):
        check_address(value, self.message)

    def __eq__(self, other):
        return isinstance(other, OutsideAddressValidator) and self.message == other.message
