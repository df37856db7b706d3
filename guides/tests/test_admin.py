import pytest
from django.urls import reverse

from evidence.models import ClaimStudy, Study
from evidence.tests.factories import StudyFactory, claim_with
from glutasite.tests.html_forms import form_data
from guides.models import Guide
from guides.parts import PARTS
from guides.tests.factories import CategoryFactory, GuideFactory, RankedProductFactory, ReviewerFactory
from products.tests.factories import OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db


def management_forms(**totals):
    """The inline management forms the guide admin posts, one per part."""
    data = {}
    for prefix in (part.related_name for part in PARTS):
        data[f"{prefix}-TOTAL_FORMS"] = str(totals.get(prefix, 0))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def guide_form(**overrides):
    data = {
        "title": "Magnesium for sleep",
        "slug": "magnesium-for-sleep",
        "kind": "comparison",
        "category": CategoryFactory().pk,
        "evidence_grade": "moderate",
        "reviewer": ReviewerFactory().pk,
        "intro": "Magnesium helps some people fall asleep.",
        "expert_take": "",
        "status": "draft",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:guides_guide_changelist",
        "admin:guides_guide_add",
        "admin:guides_reviewer_add",
        "admin:guides_category_add",
        "admin:evidence_study_changelist",
        "admin:evidence_study_add",
        "admin:products_product_changelist",
        "admin:products_product_add",
        "admin:products_offer_changelist",
    ],
)
def test_admin_pages_load_for_an_editor(editor_client, url_name):
    GuideFactory()
    OfferFactory()
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_editor_adds_guide_with_parts_through_the_admin(editor_client):
    product = ProductFactory()
    study = StudyFactory()
    claim = claim_with((Study.Design.RCT, ClaimStudy.Stance.SUPPORTS))  # moderate, as the guide
    data = guide_form() | management_forms(key_benefits=1, ranked_products=1, faqs=1, citations=1)
    data |= {
        "key_benefits-0-order": "0",
        "key_benefits-0-title": "Falls asleep faster",
        "key_benefits-0-claim": str(claim.pk),
        "key_benefits-0-text": "About ten minutes sooner.",
        "ranked_products-0-rank": "1",
        "ranked_products-0-product": str(product.pk),
        "ranked_products-0-award": "Best overall",
        "ranked_products-0-quality_score": "9",
        "ranked_products-0-value_score": "8",
        "ranked_products-0-clinical_score": "7.5",
        "ranked_products-0-verdict": "Glycinate form, gentle on the stomach.",
        "faqs-0-order": "0",
        "faqs-0-question": "When should I take it?",
        "faqs-0-answer": "An hour before bed.",
        "citations-0-order": "0",
        "citations-0-study": str(study.pk),
    }
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    guide = Guide.objects.get(slug="magnesium-for-sleep")
    assert guide.intro_html == "<p>Magnesium helps some people fall asleep.</p>\n"
    assert guide.key_benefits.get().title == "Falls asleep faster"
    assert guide.key_benefits.get().claim == claim
    assert guide.ranked_products.get().product == product
    assert guide.faqs.get().answer_html == "<p>An hour before bed.</p>\n"
    assert guide.citations.get().study == study


def test_invalid_guide_keeps_what_the_editor_typed(editor_client):
    data = guide_form(title="", intro="My careful intro about magnesium.") | management_forms()
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "My careful intro about magnesium." in html
    assert not Guide.objects.exists()


def test_score_above_ten_is_refused_with_a_message(editor_client):
    product = ProductFactory()
    data = guide_form() | management_forms(ranked_products=1)
    data |= {
        "ranked_products-0-rank": "1",
        "ranked_products-0-product": str(product.pk),
        "ranked_products-0-quality_score": "11",
        "ranked_products-0-value_score": "8",
        "ranked_products-0-clinical_score": "7",
    }
    response = editor_client.post(reverse("admin:guides_guide_add"), data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 10" in response.content.decode()
    assert not Guide.objects.exists()


def test_staff_without_guide_permissions_cannot_open_the_guide_admin(client, django_user_model):
    user = django_user_model.objects.create_user(username="intern", password="pw-intern-123", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:guides_guide_add")).status_code == 403


def test_two_ranked_products_swap_ranks_in_one_save(editor_client):
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None, evidence_grade="insufficient")
    first = RankedProductFactory(guide=guide, rank=1)
    second = RankedProductFactory(guide=guide, rank=2)
    url = reverse("admin:guides_guide_change", args=[guide.pk])
    data = form_data(editor_client.get(url).content.decode(), "guide_form")
    assert data["ranked_products-0-id"] == str(first.pk)
    data |= {"ranked_products-0-rank": "2", "ranked_products-1-rank": "1"}
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert dict(guide.ranked_products.values_list("pk", "rank")) == {first.pk: 2, second.pk: 1}
    assert guide.ranked_products.first().product == second.product  # the page lists by rank


def test_two_ranks_swap_their_products_in_one_save(editor_client):
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None, evidence_grade="insufficient")
    first = RankedProductFactory(guide=guide, rank=1)
    second = RankedProductFactory(guide=guide, rank=2)
    url = reverse("admin:guides_guide_change", args=[guide.pk])
    data = form_data(editor_client.get(url).content.decode(), "guide_form")
    data |= {"ranked_products-0-product": str(second.product_id), "ranked_products-1-product": str(first.product_id)}
    assert editor_client.post(url, data).status_code == 302
    assert list(guide.ranked_products.values_list("product", flat=True)) == [second.product_id, first.product_id]
