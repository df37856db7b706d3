"""Who may import product spreadsheets: the admin's Import page and `import_products --user` ask the same."""

IMPORT_PERMISSIONS = ["products.add_product", "products.change_product", "products.add_offer", "products.change_offer"]


def may_import(user):
    return user.is_active and user.has_perms(IMPORT_PERMISSIONS)
