from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from products.models import AffiliateClick, PriceHistory
from products.tests.factories import MerchantFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db


def posted(form):
    """What the browser would send back for an unchanged admin form."""
    data = {}
    for name in form.fields:
        field, value = form[name], form[name].value()
        keys = [field.html_name] + ([f"initial-{field.html_name}"] if form.fields[name].show_hidden_initial else [])
        for key in keys:
            if isinstance(value, datetime):  # the admin's split date and time inputs
                data |= {f"{key}_0": value.date(), f"{key}_1": value.time()}
            elif isinstance(value, bool):
                data |= {key: "on"} if value else {}
            elif value is not None and not isinstance(value, FieldFile):  # no new upload
                data[key] = value
    return data


def change_page_data(client, url):
    context = client.get(url).context
    data = posted(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data |= posted(formset.management_form)
        for form in formset.forms:
            data |= posted(form)
    return data


def test_admin_price_edit_writes_history_and_counts_as_checked_now(client, importer):
    offer = OfferFactory(price_checked_at=timezone.now() - timedelta(hours=5))
    url = reverse("admin:products_offer_change", args=[offer.pk])
    response = client.post(url, change_page_data(client, url) | {"price": "25.00"})
    assert response.status_code == 302
    history = PriceHistory.objects.get()
    assert (history.price, history.source, history.changed_by) == (Decimal("25.00"), "admin", importer)
    assert history.checked_at > timezone.now() - timedelta(minutes=1)
    offer.refresh_from_db()
    assert offer.price_checked_at == history.checked_at


def test_admin_edit_without_price_change_writes_no_history(client, importer):
    offer = OfferFactory()
    url = reverse("admin:products_offer_change", args=[offer.pk])
    assert client.post(url, change_page_data(client, url) | {"in_stock": ""}).status_code == 302
    offer.refresh_from_db()
    assert not offer.in_stock
    assert not PriceHistory.objects.exists()


def test_price_edited_in_the_product_page_offers_writes_history(client, importer):
    offer = OfferFactory()
    OfferFactory(product=offer.product, merchant=MerchantFactory(name="iHerb"))
    url = reverse("admin:products_product_change", args=[offer.product.pk])
    data = change_page_data(client, url)
    [price_key] = [key for key, value in data.items() if key.endswith("-id") and value == offer.pk]
    response = client.post(url, data | {price_key.replace("-id", "-price"): "19.50"})
    assert response.status_code == 302
    assert list(PriceHistory.objects.values_list("offer", "price", "source")) == [(offer.pk, Decimal("19.50"), "admin")]


def test_offer_list_filters_stale_prices_and_shows_age_and_clicks(client, importer):
    fresh = OfferFactory(product=ProductFactory(name="Fresh powder"))
    stale = OfferFactory(
        product=ProductFactory(name="Stale powder"),
        price_checked_at=timezone.now() - timedelta(hours=30),
    )
    AffiliateClick.objects.create(offer=fresh)
    AffiliateClick.objects.create(offer=fresh, clicked_at=timezone.now() - timedelta(days=31))
    changelist = reverse("admin:products_offer_changelist")
    html = client.get(changelist, {"freshness": "stale"}).content.decode()
    assert "Stale powder" in html
    assert "Fresh powder" not in html
    assert "(stale: hidden)" in html
    response = client.get(changelist)
    assert {o.pk: o.recent_clicks for o in response.context["cl"].result_list} == {fresh.pk: 1, stale.pk: 0}


def test_clicks_page_counts_per_offer_and_per_guide(client, importer):
    offer = OfferFactory()
    for _ in range(3):
        AffiliateClick.objects.create(offer=offer, referrer_path="/guides/creatine/", guide_slug="creatine")
    AffiliateClick.objects.create(offer=offer, clicked_at=timezone.now() - timedelta(days=40), guide_slug="creatine")
    response = client.get(reverse("admin:products_offer_clicks"))
    assert [(r["guide_slug"], r["clicks"]) for r in response.context["by_guide"]] == [("creatine", 3)]
    assert [(o, o.recent_clicks) for o in response.context["by_offer"]] == [(offer, 3)]


# An older price never overwrites a newer one, here as in imports (Offer.observe_price)

TEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NINE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_an_admin_price_checked_before_the_stored_one_is_kept_in_the_history_only(client, importer):
    offer = OfferFactory(price=Decimal("20.00"), price_checked_at=TEN)
    url = reverse("admin:products_offer_change", args=[offer.pk])
    data = change_page_data(client, url) | {"price": "25.00", "price_checked_at_0": "2026-11-20"}
    response = client.post(url, data | {"price_checked_at_1": "09:00:00", "in_stock": ""}, follow=True)
    offer.refresh_from_db()
    assert (offer.price, offer.price_checked_at, offer.in_stock) == (Decimal("20.00"), TEN, False)
    assert list(PriceHistory.objects.values_list("price", "checked_at")) == [(Decimal("25.00"), NINE)]
    assert (
        "25.00 checked 2026-11-20 09:00 is older than the stored 20.00 checked 2026-11-20 10:00; added to the "
        "price history only." in response.content.decode()
    )


def test_an_older_price_in_the_product_pages_offers_is_kept_in_the_history_only(client, importer):
    offer = OfferFactory(price=Decimal("20.00"), price_checked_at=TEN)
    OfferFactory(product=offer.product, merchant=MerchantFactory(name="iHerb"))
    url = reverse("admin:products_product_change", args=[offer.product.pk])
    data = change_page_data(client, url)
    [prefix] = [key[: -len("-id")] for key, value in data.items() if key.endswith("-id") and value == offer.pk]
    changes = {f"{prefix}-price": "25.00", f"{prefix}-price_checked_at_0": "2026-11-20"}
    response = client.post(url, data | changes | {f"{prefix}-price_checked_at_1": "09:00:00"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.price, offer.price_checked_at) == (Decimal("20.00"), TEN)
    assert list(PriceHistory.objects.values_list("offer", "price", "checked_at")) == [(offer.pk, Decimal("25"), NINE)]
