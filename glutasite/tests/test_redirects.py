"""/go/ sends readers to an offer's stored affiliate link, or a shop link's stored address, and nowhere else,
whatever the request says."""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from products.models import AffiliateClick, Offer, ShopLink
from products.tests.factories import MerchantFactory, OfferFactory

pytestmark = pytest.mark.django_db

TOKEN = "q1W2e3R4t5Y6u7I8o9P0aS"  # as secrets.token_urlsafe(16) makes them
HIDDEN_TOKEN = "hIdDeN-offer_token-0001"
STORED = "https://shop.example.com/dp/B0013OXKHC?tag=glutasite-20&ref=spring%20sale"
EVIL = "https://evil.example/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
GO = f"/go/{TOKEN}/"
LOOKALIKE = TOKEN.replace("a", "\N{CYRILLIC SMALL LETTER A}")

# (what is tried, method, path, headers): each must end at the stored link or be refused.
ATTEMPTS = [
    ("next parameter", "get", f"{GO}?next={EVIL}", {}),
    ("url parameter", "get", f"{GO}?url={quote(EVIL)}", {}),
    ("to parameter, scheme-relative", "get", f"{GO}?to=//evil.example", {}),
    ("redirect parameter, encoded", "get", f"{GO}?redirect=%2F%2Fevil.example", {}),
    ("return parameter with backslashes", "get", f"{GO}?return=\\\\evil.example", {}),
    ("javascript: in a parameter", "get", f"{GO}?next=javascript:alert(1)", {}),
    ("from parameter naming another site", "get", f"{GO}?from={EVIL}page", {}),
    ("Referer from another site", "get", GO, {"HTTP_REFERER": EVIL}),
    ("X-Forwarded-Host of another site", "get", GO, {"HTTP_X_FORWARDED_HOST": "evil.example"}),
    ("Host of another site", "get", GO, {"HTTP_HOST": "evil.example"}),
    ("token percent-encoded", "get", "/go/" + "".join(f"%{ord(c):02X}" for c in TOKEN) + "/", {}),
    ("no trailing slash", "get", f"/go/{TOKEN}?next={EVIL}", {}),
    ("scheme-relative target as token", "get", "/go//evil.example/", {}),
    ("encoded scheme-relative target", "get", "/go/%2F%2Fevil.example/", {}),
    ("backslashes as token", "get", "/go/\\\\evil.example/", {}),
    ("full URL as token", "get", f"/go/{EVIL}", {}),
    ("encoded full URL as token", "get", f"/go/{quote(EVIL, safe='')}/", {}),
    ("double-encoded slashes", "get", "/go/%252F%252Fevil.example/", {}),
    ("path traversal before the token", "get", "/go/../admin/", {}),
    ("path traversal after the token", "get", f"{GO}../../evil.example/", {}),
    ("encoded traversal in the token", "get", f"/go/{TOKEN}%2F..%2F..%2Fevil.example/", {}),
    ("extra path after the token", "get", f"{GO}evil.example/", {}),
    ("token with a slash in it", "get", f"/go/{TOKEN[:8]}/{TOKEN[8:]}/", {}),
    ("header injection in the token", "get", f"/go/{TOKEN}%0D%0ALocation:%20{EVIL}/", {}),
    ("NUL byte in the token", "get", f"/go/{TOKEN}%00/", {}),
    ("unicode look-alike token", "get", f"/go/{quote(LOOKALIKE)}/", {}),
    ("fullwidth solidus as token", "get", "/go/%EF%BC%8F%EF%BC%8Fevil.example/", {}),
    ("token in other capitals", "get", f"/go/{TOKEN.swapcase()}/", {}),
    ("very long token", "get", f"/go/{TOKEN * 250}/", {}),
    ("token of a hidden offer", "get", f"/go/{HIDDEN_TOKEN}/", {}),
    ("HEAD", "head", f"{GO}?next={EVIL}", {}),
    ("POST", "post", f"{GO}?next={EVIL}", {}),
    ("PUT", "put", GO, {}),
    ("DELETE", "delete", GO, {}),
    ("OPTIONS", "options", GO, {}),
    # The test client would read "//host" as a host; a server passes it on as the path.
    ("scheme-relative site path", "get", "/", {"PATH_INFO": "//evil.example"}),
    ("backslash site path", "get", "/", {"PATH_INFO": "/\\evil.example"}),
]


@pytest.fixture(params=["offer", "shop link in text"])
def offers(request):
    """The token belongs to an offer, or to a shop link an editor typed into a guide's text."""
    OfferFactory(token=HIDDEN_TOKEN, is_active=False)
    if request.param == "offer":
        return OfferFactory(token=TOKEN, affiliate_url=STORED)
    return ShopLink.objects.create(token=TOKEN, url=STORED, merchant=MerchantFactory())


def test_there_are_enough_attempts():
    assert len(ATTEMPTS) >= 20


@pytest.mark.parametrize(("method", "path", "headers"), [a[1:] for a in ATTEMPTS], ids=[a[0] for a in ATTEMPTS])
def test_go_redirects_only_to_the_stored_affiliate_link(client, offers, method, path, headers):
    response = getattr(client, method)(path, HTTP_USER_AGENT=BROWSER, **headers)
    hops = 0
    # Only a redirect to our own /go/ address of the same offer (the added slash) may come first.
    while response.status_code == 301 and response["Location"].startswith(GO) and hops < 2:
        response = client.get(response["Location"], HTTP_USER_AGENT=BROWSER)
        hops += 1
    if response.status_code == 302:
        assert response["Location"] == STORED
    else:
        assert response.status_code in {400, 404, 405}, response.headers.get("Location")
        assert AffiliateClick.objects.count() == 0  # a refused request is no click
    assert "evil" not in str(response.headers).lower()


def test_go_refuses_a_stored_link_that_is_not_a_web_address(client):
    """Should a bad link ever be stored around the model's checks, /go/ still will not send readers to it."""
    offer = OfferFactory()
    link = ShopLink.objects.create(url="https://shop.example.com/", merchant=offer.merchant)
    for target in ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]:
        Offer.objects.filter(pk=offer.pk).update(affiliate_url=target)
        ShopLink.objects.filter(pk=link.pk).update(url=target)
        for address in [offer.redirect_url, link.redirect_url]:
            response = client.get(address, HTTP_USER_AGENT=BROWSER)
            assert response.status_code == 400
            assert "Location" not in response


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "http://shop.example.com/",
        "//evil.example/",
        "data:text/html,x",
        "ftp://shop.example.com/",
    ],
)
def test_an_affiliate_link_must_be_https(link):
    offer = OfferFactory.build(affiliate_url=link)
    with pytest.raises(ValidationError) as refused:
        offer.full_clean(exclude=["product", "merchant"])
    assert "Enter a full https:// address." in refused.value.message_dict["affiliate_url"]


def test_a_csrf_checking_client_cannot_post_to_go_either(offers):
    response = Client(enforce_csrf_checks=True).post(GO, {"next": EVIL})
    assert response.status_code == 403
    assert "Location" not in response
