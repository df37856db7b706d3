"""Studies, claims, products and offers keep a history of who changed what."""

import pytest
from django.urls import reverse

from evidence.tests.factories import StudyFactory
from glutasite.tests.html_forms import form_data
from products.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_study_edit_in_the_admin_is_recorded_with_its_author(editor_client, editor):
    study = StudyFactory(finding="No effect on permeability.")
    url = reverse("admin:evidence_study_change", args=[study.pk])
    data = form_data(editor_client.get(url).content.decode(), form_id="study_form")
    data["finding"] = "Lower permeability after eight weeks."
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = study.history.first()
    assert latest.finding == "Lower permeability after eight weeks."
    assert latest.history_user == editor
    assert latest.diff_against(latest.prev_record).changed_fields == ["finding"]
    history_page = editor_client.get(reverse("admin:evidence_study_history", args=[study.pk])).content.decode()
    assert "Erin Editor" in history_page or "editor" in history_page


def test_offer_price_change_is_recorded(editor_client):
    offer = OfferFactory(price="29.99")
    offer.price = "24.99"
    offer.save()
    assert [str(h.price) for h in offer.history.all()] == ["24.99", "29.99"]
    assert editor_client.get(reverse("admin:products_offer_history", args=[offer.pk])).status_code == 200
