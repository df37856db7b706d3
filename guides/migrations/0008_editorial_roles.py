"""The editorial roles as groups, with the permissions each role needs.

Permissions are created after migrations run, so this migration creates
them first for the apps it uses.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ADD_CHANGE = ["view", "add", "change"]

ROLES = {
    "Reviewers": {
        "guides": {
            "guide": [*VIEW_ADD_CHANGE, "sign_off"],
            "keybenefit": VIEW_ADD_CHANGE + ["delete"],
            "rankedproduct": VIEW_ADD_CHANGE + ["delete"],
            "section": VIEW_ADD_CHANGE + ["delete"],
            "complaint": VIEW_ADD_CHANGE + ["delete"],
            "safetywarning": VIEW_ADD_CHANGE + ["delete"],
            "faq": VIEW_ADD_CHANGE + ["delete"],
            "citation": VIEW_ADD_CHANGE + ["delete"],
            "category": ["view"],
            "reviewer": ["view"],
        },
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
            "keybenefit": VIEW_ADD_CHANGE + ["delete"],
            "rankedproduct": VIEW_ADD_CHANGE + ["delete"],
            "section": VIEW_ADD_CHANGE + ["delete"],
            "complaint": VIEW_ADD_CHANGE + ["delete"],
            "safetywarning": VIEW_ADD_CHANGE + ["delete"],
            "faq": VIEW_ADD_CHANGE + ["delete"],
            "citation": VIEW_ADD_CHANGE + ["delete"],
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


def codename(action, model):
    return f"{action}_guide" if action in {"sign_off", "publish"} else f"{action}_{model}"


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, models in grants.items():
            for model, actions in models.items():
                for action in actions:
                    permission = Permission.objects.filter(
                        content_type__app_label=app_label,
                        codename=codename(action, model),
                    ).first()
                    if permission is None:
                        raise RuntimeError(f"Missing permission {app_label}.{codename(action, model)}")
                    wanted.append(permission)
        group.permissions.set(wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0007_guide_search_index"),
        ("evidence", "0002_study_details_topics_claims"),
        ("products", "0004_offer_token_unique"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
