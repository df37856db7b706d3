"""Links to a shop typed into a guide's text go through /go/, marked sponsored and disclosed."""

import pytest
from django.test import Client

from guides.tests.factories import GuideFactory, SectionFactory
from products.models import AffiliateClick, Merchant, ShopLink
from products.shop_links import has_shop_links, route_shop_links
from products.tests.factories import MerchantFactory
from richtext.markdown import render_markdown

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


@pytest.fixture
def iherb():
    return MerchantFactory(name="iHerb", domains="iherb.com, www.iherb.co.uk")


def test_a_merchant_sells_at_its_domains_and_their_subdomains(iherb):
    assert iherb.domain_list == ["iherb.com", "iherb.co.uk"]
    assert iherb.sells_at("iherb.com")
    assert iherb.sells_at("uk.iherb.com")
    assert iherb.sells_at("www.iherb.co.uk")
    assert not iherb.sells_at("notiherb.com")
    assert not iherb.sells_at("iherb.com.evil.example")


def test_a_link_to_a_known_shop_in_guide_text_is_stored_and_sent_through_go(iherb):
    section = SectionFactory(body="Buy it [at iHerb](https://uk.iherb.com/pr/glutamine/123?rcode=ABC) or read on.")
    link = ShopLink.objects.get()
    assert link.url == "https://uk.iherb.com/pr/glutamine/123?rcode=ABC"
    assert link.merchant == iherb
    assert len(link.token) >= 20
    assert f'<a href="/go/{link.token}/" rel="sponsored noopener" class="shop-link">at iHerb</a>' in section.body_html
    assert "uk.iherb.com" not in section.body_html
    assert has_shop_links(section.body_html)


def test_links_elsewhere_are_left_as_the_editor_wrote_them(iherb):
    html = route_shop_links(
        render_markdown("[PubMed](https://pubmed.ncbi.nlm.nih.gov/8098788/) `[x](https://iherb.com)`")
    )
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/8098788/" rel="noopener noreferrer">PubMed</a>' in html
    assert ShopLink.objects.count() == 0
    assert not has_shop_links(html)


def test_saving_the_same_link_twice_reuses_its_row(iherb):
    SectionFactory(body="[Shop](https://iherb.com/p/1)")
    SectionFactory(body="[Shop again](https://iherb.com/p/1)")
    assert ShopLink.objects.count() == 1


def test_text_without_known_shops_asks_the_database_nothing(django_assert_num_queries, iherb):
    with django_assert_num_queries(0):
        route_shop_links("<p>No links here.</p>")


def test_an_editor_cannot_fake_a_shop_link_class():
    html = render_markdown('<a class="shop-link" href="https://evil.example/">x</a> [y](https://evil.example/)')
    assert not has_shop_links(route_shop_links(html))


def test_go_sends_a_reader_to_the_stored_shop_address_and_counts_the_click(client, iherb):
    guide = GuideFactory(intro="Get it [here](https://iherb.com/p/7?rcode=GLUTA).")
    link = ShopLink.objects.get()
    response = client.get(
        link.redirect_url, HTTP_USER_AGENT=BROWSER, HTTP_REFERER=f"http://testserver{guide.get_absolute_url()}"
    )
    assert response.status_code == 302
    assert response["Location"] == "https://iherb.com/p/7?rcode=GLUTA"
    click = AffiliateClick.objects.get()
    assert click.shop_link == link
    assert click.offer is None
    assert click.guide_slug == guide.slug


def test_a_shop_link_keeps_working_after_its_merchant_loses_the_domain(client, iherb):
    SectionFactory(body="[Shop](https://iherb.com/p/1)")
    Merchant.objects.filter(pk=iherb.pk).update(domains="")
    link = ShopLink.objects.get()
    assert client.get(link.redirect_url, HTTP_USER_AGENT=BROWSER)["Location"] == "https://iherb.com/p/1"


def test_a_csrf_checking_client_cannot_post_to_a_shop_link(iherb):
    SectionFactory(body="[Shop](https://iherb.com/p/1)")
    response = Client(enforce_csrf_checks=True).post(ShopLink.objects.get().redirect_url)
    assert response.status_code == 403
