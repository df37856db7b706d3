"""The editorial roles as groups, with the permissions each role needs.

Permissions are created after migrations run, so this migration creates
them first for the apps it uses. The table is the one of this migration's
time; guides.roles.sync_roles keeps the groups to today's after every migrate.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from guides.roles import grant_roles

VIEW_ADD_CHANGE = ["view", "add", "change"]
GUIDE_PARTS = {
    model: [*VIEW_ADD_CHANGE, "delete"]
    for model in ["keybenefit", "rankedproduct", "section", "complaint", "safetywarning", "faq", "citation"]
}
ROLES = {
    "Reviewers": {
        "guides": {"guide": [*VIEW_ADD_CHANGE, "sign_off"], **GUIDE_PARTS, "category": ["view"], "reviewer": ["view"]},
        "evidence": {
            "study": VIEW_ADD_CHANGE,
            "claim": VIEW_ADD_CHANGE,
            "claimstudy": VIEW_ADD_CHANGE + ["delete"],
            "topic": ["view"],
        },
        "products": {"product": ["view"], "brand": ["view"], "offer": ["view"], "merchant": ["view"]},
    },
    "Editors": {
        "guides": {
            "guide": [*VIEW_ADD_CHANGE, "delete", "publish"],
            **GUIDE_PARTS,
            "category": VIEW_ADD_CHANGE,
            "reviewer": VIEW_ADD_CHANGE,
            "sitesettings": ["view", "change"],
        },
        "evidence": {
            "study": VIEW_ADD_CHANGE,
            "claim": VIEW_ADD_CHANGE,
            "claimstudy": VIEW_ADD_CHANGE + ["delete"],
            "topic": VIEW_ADD_CHANGE,
        },
        "products": {
            "product": ["view", "change"],
            "brand": ["view", "change"],
            "offer": ["view", "change"],
            "merchant": ["view"],
        },
    },
    "Product importers": {
        "products": {
            "product": VIEW_ADD_CHANGE,
            "brand": VIEW_ADD_CHANGE,
            "offer": VIEW_ADD_CHANGE,
            "merchant": VIEW_ADD_CHANGE,
        },
    },
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_roles(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0007_guide_search_index"),
        ("evidence", "0002_study_details_topics_claims"),
        ("products", "0004_offer_token_unique"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
