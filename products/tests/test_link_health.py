import time

import pytest
import requests
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from werkzeug import Response

from outbound.http import Client
from products import link_health
from products.models import LinkCheck
from products.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

BROKEN_NOTICE = "sent to the shop's home or search page"


@pytest.fixture(autouse=True)
def local_shop(settings, monkeypatch):
    settings.OUTBOUND_HTTP_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.LINK_CHECK_DELAY_SECONDS = 0
    monkeypatch.setattr(link_health, "TIMEOUT", 0.5)


def outcome_of(url):
    with Client() as client:
        return link_health.check_link(client, url)


def page(text="<h1>L-Glutamine Powder</h1><button>Add to basket</button>"):
    return {"response_data": text, "content_type": "text/html; charset=utf-8"}


def test_a_working_product_page_is_fine(httpserver):
    httpserver.expect_request("/p/1", method="HEAD").respond_with_data("", content_type="text/html")
    httpserver.expect_request("/p/1", method="GET").respond_with_data(**page())
    checked = outcome_of(httpserver.url_for("/p/1"))
    assert (checked.outcome, checked.status_code) == ("fine", 200)


def test_head_refused_is_asked_again_with_get(httpserver):
    httpserver.expect_request("/p/1", method="HEAD").respond_with_data("", status=405)
    httpserver.expect_request("/p/1", method="GET").respond_with_data(**page())
    assert outcome_of(httpserver.url_for("/p/1")).outcome == "fine"


def test_a_redirect_to_the_product_elsewhere_is_fine_and_its_destination_kept(httpserver):
    httpserver.expect_request("/go/abc").respond_with_data("", status=301, headers={"Location": "/dp/B0013OXKHC"})
    httpserver.expect_request("/dp/B0013OXKHC").respond_with_data(**page())
    checked = outcome_of(httpserver.url_for("/go/abc"))
    assert checked.outcome == "redirected"
    assert checked.final_url == httpserver.url_for("/dp/B0013OXKHC")


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_and_gone_are_broken(httpserver, status):
    httpserver.expect_request("/p/1").respond_with_data("", status=status)
    assert outcome_of(httpserver.url_for("/p/1")).outcome == "broken"


@pytest.mark.parametrize(
    ("location", "response"),
    [("/", BROKEN_NOTICE), ("/search?q=l-glutamine", BROKEN_NOTICE), ("/s?k=glutamine", BROKEN_NOTICE)],
)
def test_a_redirect_to_the_shops_home_or_search_page_is_a_soft_404(httpserver, location, response):
    httpserver.expect_request("/dp/gone").respond_with_data("", status=302, headers={"Location": location})
    httpserver.expect_request(location.split("?")[0]).respond_with_data(**page("<h1>Welcome</h1>"))
    checked = outcome_of(httpserver.url_for("/dp/gone"))
    assert (checked.outcome, checked.response) == ("broken", response)


def test_a_page_saying_the_product_is_unavailable_is_a_soft_404(httpserver):
    httpserver.expect_request("/p/1").respond_with_data(**page("<p>This item is currently unavailable.</p>"))
    checked = outcome_of(httpserver.url_for("/p/1"))
    assert (checked.outcome, checked.response) == ("broken", "the page says “currently unavailable”")


@pytest.mark.parametrize("status", [403, 429, 500, 503])
def test_refusals_limits_and_server_errors_could_not_be_checked(httpserver, status):
    httpserver.expect_request("/p/1").respond_with_data("", status=status)
    assert outcome_of(httpserver.url_for("/p/1")).outcome == "could_not_check"


def test_a_shop_that_does_not_answer_in_time_could_not_be_checked(httpserver):
    httpserver.expect_request("/slow").respond_with_handler(lambda request: time.sleep(1) or Response("late"))
    checked = outcome_of(httpserver.url_for("/slow"))
    assert (checked.outcome, checked.response) == ("could_not_check", "no answer within 0.5 s")


def test_endless_redirects_could_not_be_checked(httpserver):
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    assert outcome_of(httpserver.url_for("/loop")).response == "more than 5 redirects"


def test_a_tls_failure_is_broken(httpserver):
    # The test server speaks plain HTTP, so a TLS handshake with it fails.
    url = httpserver.url_for("/p/1").replace("http://", "https://")
    assert outcome_of(url).outcome == "broken"


def test_a_name_that_does_not_resolve_is_broken(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise requests.ConnectionError("Failed to resolve 'shop.invalid' ([Errno -2] Name or service not known)")

    monkeypatch.setattr(requests.Session, "request", no_such_host)
    assert outcome_of("https://shop.invalid/p/1").outcome == "broken"


def test_limit_checks_the_links_checked_longest_ago_first(httpserver, capsys):
    httpserver.expect_request("/p").respond_with_data(**page())
    offers = [OfferFactory(affiliate_url=httpserver.url_for("/p")) for _ in range(3)]
    call_command("check_links", limit=2)
    assert capsys.readouterr().out.strip() == "Checked 2 links: 2 fine."
    call_command("check_links", limit=2, verbosity=0)
    assert set(LinkCheck.objects.values_list("offer", flat=True)) == {offer.pk for offer in offers}


def test_editors_see_link_health_by_outcome_and_export_it(client, django_user_model, httpserver):
    httpserver.expect_request("/p").respond_with_data("", status=404)
    OfferFactory(affiliate_url=httpserver.url_for("/p"))
    call_command("check_links", verbosity=0)
    editor = django_user_model.objects.create_user(username="erin", password="pw-erin-123456", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editors"))
    client.force_login(editor)
    html = client.get(reverse("admin:products_linkcheck_changelist") + "?outcome=broken").content.decode()
    assert "Link health" in html
    assert "404 NOT FOUND" in html.upper()
    export = client.get(reverse("admin:products_linkcheck_export") + "?outcome=broken")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("offer,merchant,outcome,last checked")
    assert "Broken" in lines[1]
    assert "404" in lines[1]
