import inspect
import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory
from glutasite.tests.html_forms import form_data
from guides.models import Guide
from guides.tests.factories import FAQFactory, GuideFactory, RankedProductFactory
from guides.views import GUIDES_PER_PAGE
from products.models import Offer, Product
from products.signals import offers_imported
from products.tests.factories import OfferFactory
from readers.tests.factories import PageFactory

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_anonymous_pages_are_cached_with_headers_for_a_cdn(client):
    guide = GuideFactory()
    first = client.get(guide.get_absolute_url())
    assert cache_control(first) == {"public", "max-age=300"}
    assert "Cookie" in first["Vary"]
    # A change that bypasses model saves (and so the cache) is not seen: the page came from the cache.
    Guide.objects.filter(pk=guide.pk).update(title="Changed behind the cache's back")
    second = client.get(guide.get_absolute_url())
    assert text(second) == text(first)
    assert "public" in cache_control(second)
    assert int(re.search(r"max-age=(\d+)", second["Cache-Control"]).group(1)) <= 300
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("shown_on", "change", "seen"),
    [
        ("guide", lambda objects: save(objects["faq"], question="New question?"), "New question?"),
        ("guide", lambda objects: save(objects["offer"], price="12.34"), "12.34"),
        ("product", lambda objects: save(objects["offer"], price="12.34"), "12.34"),
        ("product", lambda objects: save(objects["offer"].product, name="Renamed Powder"), "Renamed Powder"),
        ("study", lambda objects: save(objects["study"], title="A retitled trial"), "A retitled trial"),
        ("claim", lambda objects: save(objects["claim"], statement="A restated claim"), "A restated claim"),
        ("page", lambda objects: save(objects["page"], body="Rewritten about page."), "Rewritten about page."),
        ("home", lambda objects: save(objects["guide"].category, name="Renamed Category"), "Renamed Category"),
        ("reviewer", lambda objects: save(objects["guide"].reviewer, name="Dr Renamed"), "Dr Renamed"),
    ],
)
def test_saving_what_a_page_shows_empties_the_cache(client, shown_on, change, seen):
    guide = GuideFactory()
    faq = FAQFactory(guide=guide, question="Old question?")
    ranked = RankedProductFactory(guide=guide)
    offer = OfferFactory(product=ranked.product, price="29.99")
    study = StudyFactory()
    claim = ClaimFactory()
    ClaimStudyFactory(claim=claim, study=study)
    objects = {"guide": guide, "faq": faq, "offer": offer, "study": study, "claim": claim, "page": PageFactory()}
    path = {
        "guide": guide.get_absolute_url(),
        "product": ranked.product.get_absolute_url(),
        "study": study.get_absolute_url(),
        "claim": claim.get_absolute_url(),
        "page": objects["page"].get_absolute_url(),
        "home": "/",
        "reviewer": guide.reviewer.get_absolute_url(),
    }[shown_on]
    assert seen not in text(client.get(path))
    change(objects)
    assert seen in text(client.get(path))


def save(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


def test_an_editor_saving_a_page_in_the_admin_updates_what_readers_see(editor_client):
    reader = Client()
    page = PageFactory(slug="about", body="We started in 2026.")
    assert "We started in 2026." in text(reader.get("/pages/about/"))
    url = reverse("admin:readers_page_change", args=[page.pk])
    data = form_data(text(editor_client.get(url)), "page_form") | {"body": "We started in 2025."}
    assert editor_client.post(url, data).status_code == 302
    assert "We started in 2025." in text(reader.get("/pages/about/"))


def test_an_editor_saving_a_study_in_the_admin_updates_its_page(editor_client):
    reader = Client()
    study = StudyFactory(finding="Glutamine reduced permeability.")
    assert "Glutamine reduced permeability." in text(reader.get(study.get_absolute_url()))
    url = reverse("admin:evidence_study_change", args=[study.pk])
    data = form_data(text(editor_client.get(url)), "study_form") | {"finding": "No effect on permeability."}
    assert editor_client.post(url, data).status_code == 302
    assert "No effect on permeability." in text(reader.get(study.get_absolute_url()))


def test_a_spreadsheet_import_empties_the_cache(client):
    offer = OfferFactory()
    product = offer.product
    client.get(product.get_absolute_url())
    # The import writes in bulk, which sends no model signals; products' own signal follows it.
    Product.objects.filter(pk=product.pk).update(name="Imported name")
    offers_imported.send(sender=Offer, report=None)
    assert "Imported name" in text(client.get(product.get_absolute_url()))


def test_pages_for_signed_in_staff_are_never_cached(editor_client):
    reader = Client()
    guide = GuideFactory()
    reader.get(guide.get_absolute_url())
    Guide.objects.filter(pk=guide.pk).update(title="Seen only by a fresh render")
    response = editor_client.get(guide.get_absolute_url())
    assert "Seen only by a fresh render" in text(response)
    assert {"private", "no-cache"} <= cache_control(response)
    # Nor does what staff saw reach readers.
    draft = GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert reader.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["newsletter", "report"])
def test_pages_with_a_form_are_never_cached_so_readers_never_share_a_csrf_token(path):
    guide = GuideFactory()
    url = {"newsletter": reverse("readers:newsletter_signup"), "report": f"{guide.get_absolute_url()}report/"}[path]
    first, second = Client().get(url), Client().get(url)
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(r)).group(1) for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert {"private", "no-store"} <= cache_control(first)


def test_cached_pages_carry_no_form_and_no_cookie(client):
    guide = GuideFactory()
    for path in ["/", guide.get_absolute_url(), "/guides/", "/search/?q=glutamine"]:
        response = client.get(path)
        assert "public" in cache_control(response), path
        assert "csrfmiddlewaretoken" not in text(response), path
        assert not response.cookies, path


def test_not_found_is_not_cached(client):
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    assert client.get(guide.get_absolute_url()).status_code == 404
    Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.PUBLISHED, published_at=timezone.now())
    assert client.get(guide.get_absolute_url()).status_code == 200


def test_a_cached_price_is_never_shown_past_the_cache_lifetime(client, monkeypatch, settings):
    offer = OfferFactory(price_checked_at=timezone.now() - timedelta(hours=23, minutes=58))
    path = offer.product.get_absolute_url()
    assert "Price checked" in text(client.get(path))
    # The price goes stale while the page sits in the cache; it was checked 23 h 58 min ago.
    Offer.objects.filter(pk=offer.pk).update(price_checked_at=timezone.now() - timedelta(hours=24, minutes=1))
    assert "Price checked" in text(client.get(path))
    later = time.time() + settings.READER_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    refreshed = text(client.get(path))
    assert "Price checked" not in refreshed
    assert "Check current price" in refreshed


def cache_entries(settings):
    from pathlib import Path

    return len(list(Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache")))


def test_query_strings_a_page_does_not_read_make_no_new_cache_entry(client, settings):
    guide = GuideFactory()
    first = client.get(guide.get_absolute_url())
    entries = cache_entries(settings)
    Guide.objects.filter(pk=guide.pk).update(title="Changed behind the cache's back")
    for junk in ["?x=1", "?x=2&utm_source=mail", "?fbclid=abc"]:
        response = client.get(guide.get_absolute_url() + junk)
        assert text(response) == text(first)
    assert cache_entries(settings) == entries


def test_query_parameters_a_page_reads_are_cached_apart_in_any_order(client):
    StudyFactory(title="A randomised trial", design="rct")
    StudyFactory(title="A rat study", design="animal")
    rct = text(client.get("/evidence/?design=rct&sort=title&x=1"))
    assert "A randomised trial" in rct
    assert "A rat study" not in rct
    assert "A rat study" in text(client.get("/evidence/?design=animal"))
    assert text(client.get("/evidence/?sort=title&utm_source=mail&design=rct")) == rct


def test_page_links_of_a_shared_page_carry_no_stray_parameters(client):
    for _ in range(30):
        StudyFactory(design="rct")
    html = text(client.get("/evidence/?design=rct&tracking=someone"))
    assert "page=2" in html
    assert "tracking" not in html


def test_every_view_that_reads_the_query_string_says_which_parameters_for_the_page_cache():
    """A view reading request.GET without `reads_query` would be cached once for all its queries."""
    undeclared = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns)
                continue
            view = pattern.callback
            code = inspect.getsource(inspect.unwrap(view)) if inspect.isfunction(inspect.unwrap(view)) else ""
            # The guide page's `?live=1` is for signed-in staff, whose pages are never cached.
            reads = "request.GET" in code.replace('"live" not in request.GET', "")
            if reads and not getattr(view, "reads_query", None):
                undeclared.append(pattern.name)

    walk(get_resolver().url_patterns)
    assert undeclared == []


def test_a_page_whose_view_reads_a_parameter_is_cached_once_per_value(client):
    GuideFactory.create_batch(GUIDES_PER_PAGE + 1)
    first = client.get("/guides/?page=1").content.decode()
    second = client.get("/guides/?page=2").content.decode()
    assert first != second
    assert client.get("/guides/?page=2&utm_source=newsletter").content.decode() == second
