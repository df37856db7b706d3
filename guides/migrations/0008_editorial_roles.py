"""The editorial roles as groups, with the permissions each role needs.

Permissions are created after migrations run, so this migration creates
them first for the apps it uses.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from guides.roles import grant_roles


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0007_guide_search_index"),
        ("evidence", "0002_study_details_topics_claims"),
        ("products", "0004_offer_token_unique"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
