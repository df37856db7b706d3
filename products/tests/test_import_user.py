import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from products.models import Offer, PriceHistory
from products.permissions import IMPORT_PERMISSIONS

pytestmark = pytest.mark.django_db

OFFERS_CSV = (
    "sku,brand,product,form,serving_size,amount_per_serving,servings_per_container,merchant,price,currency,"
    "affiliate_url\n"
    "GLN-500,Now Foods,L-Glutamine Powder,powder,1 scoop (5 g),5 g,100,Amazon US,29.99,USD,"
    "https://www.amazon.com/dp/B0013OXKHC?tag=glutasite-20\n"
)


@pytest.fixture
def offers_csv(tmp_path):
    path = tmp_path / "offers.csv"
    path.write_text(OFFERS_CSV)
    return str(path)


def test_import_refuses_a_user_without_the_import_permissions(offers_csv, django_user_model):
    django_user_model.objects.create_user(username="viewer", password="pw-viewer-123", is_staff=True)
    with pytest.raises(CommandError, match="“viewer” may not import products"):
        call_command("import_products", offers_csv, "--user", "viewer")
    assert not Offer.objects.exists()
    assert not PriceHistory.objects.exists()


def test_import_records_a_user_who_may_import(offers_csv, django_user_model):
    user = django_user_model.objects.create_user(username="importer", password="pw-importer-123", is_staff=True)
    app_codenames = [name.split(".") for name in IMPORT_PERMISSIONS]
    user.user_permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in app_codenames
    )
    call_command("import_products", offers_csv, "--user", "importer")
    assert PriceHistory.objects.get().changed_by == user
