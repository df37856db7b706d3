from django.contrib.admin.apps import AdminConfig


class EditorialAdminConfig(AdminConfig):
    """Django's admin, with our site: the dashboard as its index and the notification pages."""

    default_site = "dashboard.sites.EditorialAdminSite"
