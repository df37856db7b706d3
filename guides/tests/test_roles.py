"""The role matrix: what each editorial group may do, in the admin and the workflow views."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.tests.factories import StudyFactory
from guides import revisions
from guides.models import Guide
from guides.tests.factories import GuideFactory, ReviewerFactory
from guides.tests.test_workflow import ready_guide
from products.tests.factories import OfferFactory
from readers.models import CorrectionRequest
from readers.tests.factories import CorrectionRequestFactory, NewsletterSubscriberFactory, PageFactory

pytestmark = pytest.mark.django_db

ROLES = ["Reviewers", "Editors", "Product importers"]


@pytest.fixture
def login(client, django_user_model):
    def as_role(*roles):
        user = django_user_model.objects.create_user(
            username="-".join(roles).lower().replace(" ", "_"),
            password="pw-role-123456",
            is_staff=True,
        )
        user.groups.set(Group.objects.filter(name__in=roles))
        if "Reviewers" in roles:
            ReviewerFactory(user=user)
        client.force_login(user)
        return user

    return as_role


def guide_in_review():
    guide = ready_guide()
    guide.status = Guide.Status.IN_REVIEW
    guide.save(update_fields=["status"])
    return guide


def signed_guide():
    guide = guide_in_review()
    reviewer = ReviewerFactory()
    revision = revisions.current_revision(guide)
    revision.signed_off_by = reviewer
    revision.signed_off_at = revision.created_at
    revision.save()
    return guide


def open_guide(client):
    guide = GuideFactory(status=Guide.Status.DRAFT, published_at=None)
    return client.get(reverse("admin:guides_guide_change", args=[guide.pk])).status_code == 200


def edit_study(client):
    study = StudyFactory()
    response = client.get(reverse("admin:evidence_study_change", args=[study.pk]))
    return response.status_code == 200 and 'name="title"' in response.content.decode()


def sign_off(client):
    guide = guide_in_review()
    client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "sign-off"]))
    return revisions.current_revision(guide).is_signed_off


def publish(client):
    guide = signed_guide()
    client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "publish"]))
    return Guide.objects.get(pk=guide.pk).status == Guide.Status.PUBLISHED


def unpublish(client):
    guide = GuideFactory()
    client.post(reverse("admin:guides_guide_workflow", args=[guide.pk, "unpublish"]))
    return Guide.objects.get(pk=guide.pk).status == Guide.Status.UNPUBLISHED


def import_products(client):
    return client.get(reverse("admin:products_product_import")).status_code == 200


def export_products(client):
    return client.get(reverse("admin:products_product_export")).status_code == 200


def edit_offer(client):
    offer = OfferFactory()
    response = client.get(reverse("admin:products_offer_change", args=[offer.pk]))
    return response.status_code == 200 and 'name="price"' in response.content.decode()


def import_references(client):
    return client.get(reverse("admin:evidence_study_import")).status_code == 200


def resolve_report(client):
    from readers.models import CorrectionRequest

    report = CorrectionRequest.objects.create(guide=GuideFactory(), description="The dose is wrong.")
    response = client.get(reverse("admin:readers_correctionrequest_change", args=[report.pk]))
    return response.status_code == 200 and 'name="status"' in response.content.decode()


def read_reports(client):
    return client.get(reverse("admin:readers_correctionrequest_changelist")).status_code == 200


def manage_users(client):
    return client.get(reverse("admin:auth_user_changelist")).status_code == 200


def edit_site_page(client):
    page = PageFactory()
    response = client.get(reverse("admin:readers_page_change", args=[page.pk]))
    return response.status_code == 200 and 'name="body"' in response.content.decode()


def add_site_page(client):
    return client.get(reverse("admin:readers_page_add")).status_code == 200


def read_error_report(client):
    report = CorrectionRequestFactory()
    return client.get(reverse("admin:readers_correctionrequest_change", args=[report.pk])).status_code == 200


def resolve_error_report(client):
    report = CorrectionRequestFactory()
    client.post(
        reverse("admin:readers_correctionrequest_changelist"),
        {"action": "mark_resolved", "_selected_action": [report.pk]},
    )
    return CorrectionRequest.objects.get(pk=report.pk).status == CorrectionRequest.Status.RESOLVED


def read_newsletter_subscribers(client):
    NewsletterSubscriberFactory()
    return client.get(reverse("admin:readers_newslettersubscriber_changelist")).status_code == 200


def add_product(client):
    return client.get(reverse("admin:products_product_add")).status_code == 200


def import_products_as_user(client, tmp_path):
    """`import_products --user`: refused for anyone without the import permissions, before reading a row."""
    path = tmp_path / "offers.csv"
    path.write_text("not,a,real,file\n")
    try:
        call_command("import_products", str(path), "--dry-run", "--user", client.user.username)
    except CommandError as error:
        return "may not import" not in str(error)
    return True


MATRIX = {
    # action: (Reviewers, Editors, Product importers)
    open_guide: (True, True, False),
    edit_study: (True, True, False),
    import_references: (True, True, False),
    sign_off: (True, False, False),
    publish: (False, True, False),
    unpublish: (False, True, False),
    import_products: (False, False, True),
    export_products: (True, True, True),
    edit_offer: (False, True, True),
    read_reports: (True, True, False),
    resolve_report: (False, True, False),
    manage_users: (False, False, False),
    edit_site_page: (False, True, False),
    add_site_page: (False, True, False),
    read_error_report: (True, True, False),
    resolve_error_report: (False, True, False),
    read_newsletter_subscribers: (False, False, False),
    add_product: (False, True, True),
    import_products_as_user: (False, False, True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MATRIX, ids=lambda action: action.__name__)
def test_role_matrix(client, login, role, action, tmp_path):
    client.user = login(role)
    done = action(client, tmp_path) if action is import_products_as_user else action(client)
    assert done is MATRIX[action][ROLES.index(role)]


def test_an_editor_who_is_also_a_reviewer_may_sign_off(client, login):
    login("Editors", "Reviewers")
    assert sign_off(client)


def test_roles_exist_with_their_permissions():
    assert Group.objects.get(name="Reviewers").permissions.filter(codename="sign_off_guide").exists()
    assert Group.objects.get(name="Editors").permissions.filter(codename="publish_guide").exists()
    assert not Group.objects.get(name="Editors").permissions.filter(codename="sign_off_guide").exists()
    assert not Group.objects.get(name="Product importers").permissions.filter(content_type__app_label="guides").exists()


def test_staff_without_a_role_can_do_nothing(client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="pw-nobody-123", is_staff=True)
    client.force_login(user)
    assert not open_guide(client)
    assert not sign_off(client)
    assert not import_products(client)
