"""The admin site editors sign in to: its index is the dashboard, its header counts unread notifications."""

from django.contrib import admin
from django.template.response import TemplateResponse

# The admin's app list, in the order of an editor's day; apps not named here follow, Authentication last.
APP_ORDER = ["guides", "evidence", "products", "readers"]


class EditorialAdminSite(admin.AdminSite):
    site_header = "Glutasite editorial"
    site_title = "Glutasite editorial"
    index_title = "Dashboard"

    def each_context(self, request):
        context = super().each_context(request)
        if request.user.is_active and request.user.is_staff:
            context["unread_notifications"] = request.user.notifications.unread().count()
        return context

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)

        def position(app):
            label = app["app_label"]
            return (APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER) + (label == "auth"), app["name"])

        return sorted(apps, key=position)

    def index(self, request, extra_context=None):
        from .panels import dashboard

        context = {
            **self.each_context(request),
            "title": self.index_title,
            "subtitle": None,
            "app_list": self.get_app_list(request),
            **dashboard(request),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "dashboard/index.html", context)

    def get_urls(self):
        from notifications.views import admin_urls

        return admin_urls(self) + super().get_urls()
