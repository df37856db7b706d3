"""The editorial roles: which permissions each group holds.

The groups are kept to this table after every `migrate` (and after a test
database is flushed) by `sync_roles`, connected in `guides.apps`; give
someone a role by adding them to its group. A role that needs more is a
change to this table, not to the group in the admin, which the next migrate
would undo.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from .parts import PARTS

VIEW_ADD_CHANGE = ["view", "add", "change"]
# Whoever edits a guide edits all its parts.
GUIDE_PARTS = {part.model._meta.model_name: [*VIEW_ADD_CHANGE, "delete"] for part in PARTS}

ROLES = {
    "Reviewers": {
        "guides": {
            "guide": [*VIEW_ADD_CHANGE, "sign_off"],
            **GUIDE_PARTS,
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
        # A reader's report of a wrong number is evidence work too: reviewers read them, editors resolve them.
        "readers": {"correctionrequest": ["view"]},
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
        # A product they want to rank may be new (and so may its brand); offers and prices stay with importers.
        "products": {
            "product": VIEW_ADD_CHANGE,
            "brand": VIEW_ADD_CHANGE,
            "offer": ["view", "change"],
            "merchant": ["view"],
            "merchantfeed": ["view"],
            "linkcheck": ["view"],
        },
        "jobs": {"jobrun": ["view", "run"]},
        # The site's own pages, and the readers' error reports that the review queue lists.
        "readers": {"page": [*VIEW_ADD_CHANGE, "delete"], "correctionrequest": ["view", "change"]},
    },
    "Product importers": {
        "products": {
            "product": VIEW_ADD_CHANGE,
            "brand": VIEW_ADD_CHANGE,
            "offer": VIEW_ADD_CHANGE,
            "merchant": VIEW_ADD_CHANGE,
            "merchantfeed": [*VIEW_ADD_CHANGE, "delete"],
            "linkcheck": ["view"],
        },
        "jobs": {"jobrun": ["view", "run"]},
    },
}


def codename(action, model):
    return f"{action}_guide" if action in {"sign_off", "publish"} else f"{action}_{model}"


def grant_roles(apps, roles=ROLES):
    """Create each role's group with exactly its permissions (which must exist)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in roles.items():
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


def sync_roles(app_config, apps=global_apps, using="default", **kwargs):
    """post_migrate: every app's permissions exist first, then each group gets exactly its row of ROLES."""
    for config in global_apps.get_app_configs():
        create_permissions(config, apps=apps, verbosity=0, using=using)
    grant_roles(apps)
