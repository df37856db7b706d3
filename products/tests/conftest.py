import pytest
from django.contrib.auth.models import Permission


@pytest.fixture
def importer(client, django_user_model):
    """Signed in with what the Product importers role needs: add, change and view products and offers."""
    user = django_user_model.objects.create_user("importer", is_staff=True)
    codenames = ["add_product", "change_product", "view_product", "add_offer", "change_offer", "view_offer"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="products", codename__in=codenames))
    client.force_login(user)
    return user
