"""The editorial roles: which permissions each group holds.

The data migration 0008_editorial_roles creates the groups from this table;
tests whose database is flushed call `grant_roles` to put them back.
"""

VIEW_ADD_CHANGE = ["view", "add", "change"]
# Whoever edits a guide edits all its ordered parts.
GUIDE_PARTS = {
    model: [*VIEW_ADD_CHANGE, "delete"]
    for model in ["keybenefit", "rankedproduct", "section", "complaint", "safetywarning", "faq", "citation"]
}

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


def codename(action, model):
    return f"{action}_guide" if action in {"sign_off", "publish"} else f"{action}_{model}"


def grant_roles(apps):
    """Create each role's group with exactly its permissions (which must exist)."""
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
