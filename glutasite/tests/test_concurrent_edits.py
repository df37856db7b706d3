"""Two editors open the same row; the first saves; the second's save is refused, naming the first."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from concurrent_edits.admin import ConcurrentEditAdminMixin, ConcurrentEditInlineMixin
from evidence.models import Study
from evidence.tests.factories import ClaimFactory, ClaimStudyFactory, StudyFactory
from glutasite.tests.html_forms import form_data
from guides.admin import GuideAdmin
from guides.models import Category
from guides.tests.factories import CategoryFactory
from products.models import Offer, Product
from products.tests.factories import OfferFactory
from readers.models import Page
from readers.tests.factories import PageFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"evidence", "products", "guides", "readers"}
# Guides refuse a stale save by their own revision numbers (guides/admin.py, GuideAdminForm).
OWN_PROTECTION = {GuideAdmin}


@pytest.fixture
def editors(django_user_model):
    def editor(name):
        user = django_user_model.objects.create_superuser(name.lower(), f"{name.lower()}@example.com", "pw-12345678")
        user.first_name = name
        user.save()
        client = Client()
        client.force_login(user)
        return client

    return editor("Alice"), editor("Bob")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id=f"{obj._meta.model_name}_form")


def save(client, obj, data, **changes):
    return client.post(change_url(obj), {**data, **changes, "_save": "Save"})


CASES = {
    # model: (make a row, Alice's change, Bob's unrelated change, what Alice's change looks like afterwards)
    "offer": (OfferFactory, {"price": "25.00"}, {"in_stock": []}, lambda o: o.price == Decimal("25.00")),
    "study": (
        StudyFactory,
        {"title": "Alice's title"},
        {"journal": "Bob's journal"},
        lambda s: s.title == "Alice's title",
    ),
    "site page": (
        PageFactory,
        {"body": "Alice's text."},
        {"title": "Bob's title"},
        lambda p: p.body == "Alice's text.",
    ),
    "category": (CategoryFactory, {"name": "Alice's name"}, {"slug": "bobs-slug"}, lambda c: c.name == "Alice's name"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_stale_save_is_refused_and_names_who_changed_it(editors, case):
    make, alice_change, bob_change, keeps_alices = CASES[case]
    alice, bob = editors
    obj = make()
    alice_form, bob_form = open_form(alice, obj), open_form(bob, obj)

    assert save(alice, obj, alice_form, **alice_change).status_code == 302
    refused = save(bob, obj, bob_form, **bob_change)

    assert refused.status_code == 200
    html = refused.content.decode()
    noun = obj._meta.verbose_name
    assert f"This {noun} was changed by Alice at " in html
    assert " UTC since you opened it, so your save was refused and nothing was overwritten." in html
    typed = next(iter(bob_change.values()))
    if typed:
        assert typed.replace("'", "&#x27;") in html  # what Bob typed is still in the form
    assert keeps_alices(type(obj).objects.get(pk=obj.pk))


def test_a_save_is_accepted_when_nobody_changed_the_row_since(editors):
    alice, _ = editors
    study = StudyFactory()
    assert save(alice, study, open_form(alice, study), title="Only Alice").status_code == 302
    assert Study.objects.get(pk=study.pk).title == "Only Alice"


def test_after_a_refusal_reopening_the_row_lets_the_change_through(editors):
    alice, bob = editors
    page = PageFactory()
    bob_form = open_form(bob, page)
    save(alice, page, open_form(alice, page), body="Alice's text.")
    assert save(bob, page, bob_form, title="Bob's title").status_code == 200
    assert save(bob, page, open_form(bob, page), title="Bob's title").status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Bob's title"
    assert Page.objects.get(pk=page.pk).body == "Alice's text."


def test_an_offer_changed_on_its_own_page_is_not_put_back_by_the_product_page(editors):
    alice, bob = editors
    offer = OfferFactory(price=Decimal("29.99"))
    product = offer.product
    bob_form = open_form(bob, product)  # with the offer inline at 29.99

    assert save(alice, offer, open_form(alice, offer), price="25.00").status_code == 302
    refused = save(bob, product, bob_form, name="Bob's product name")

    assert refused.status_code == 200
    assert "This offer was changed by Alice at " in refused.content.decode()
    assert Offer.objects.get(pk=offer.pk).price == Decimal("25.00")
    assert Product.objects.get(pk=product.pk).name != "Bob's product name"


def test_an_inline_offer_changed_on_the_product_page_names_the_editor(editors):
    alice, bob = editors
    offer = OfferFactory(price=Decimal("29.99"))
    product = offer.product
    alice_form, bob_form = open_form(alice, product), open_form(bob, product)

    assert save(alice, product, alice_form, **{"offers-0-price": "25.00"}).status_code == 302
    refused = save(bob, product, bob_form, **{"offers-0-in_stock": []})

    assert "This offer was changed by Alice at " in refused.content.decode()
    offer.refresh_from_db()
    assert (offer.price, offer.in_stock) == (Decimal("25.00"), True)


def test_saving_a_product_leaves_its_untouched_offers_unwritten(editors):
    alice, _ = editors
    offer = OfferFactory()
    history = offer.history.count()
    assert save(alice, offer.product, open_form(alice, offer.product), name="Renamed").status_code == 302
    assert offer.history.count() == history


def test_a_change_to_a_claims_studies_counts_as_a_change_to_the_claim(editors):
    alice, bob = editors
    link = ClaimStudyFactory(claim=ClaimFactory(), study=StudyFactory())
    claim = link.claim
    alice_form, bob_form = open_form(alice, claim), open_form(bob, claim)
    assert save(alice, claim, alice_form, **{"claim_studies-0-note": "Alice's note"}).status_code == 302
    refused = save(bob, claim, bob_form, summary="Bob's summary")
    assert refused.status_code == 200
    assert "was changed by Alice at " in refused.content.decode()


def test_a_change_with_no_name_on_record_is_still_refused(editors):
    alice, _ = editors
    category = CategoryFactory()
    form = open_form(alice, category)
    Category.objects.filter(pk=category.pk).update(name="Changed by a script")
    refused = save(alice, category, form, slug="alices-slug")
    assert "This category was changed by an import or a script (which leave no name)" in refused.content.decode()


def test_every_admin_page_of_ours_and_every_inline_is_protected():
    # Pages nobody may change (a record of link checks) have nothing to protect.
    anyone_allowed = SimpleNamespace(user=SimpleNamespace(has_perm=lambda perm, obj=None: True))
    unprotected = [
        f"{model._meta.label} ({type(model_admin).__name__})"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
        and model_admin.has_change_permission(anyone_allowed)
        and type(model_admin) not in OWN_PROTECTION
        and not (
            isinstance(model_admin, ConcurrentEditAdminMixin)
            and all(issubclass(inline, ConcurrentEditInlineMixin) for inline in model_admin.inlines)
        )
    ]
    assert unprotected == []
