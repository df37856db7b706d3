"""The admin site editors sign in to: its header counts unread notifications."""

from django.contrib import admin


class EditorialAdminSite(admin.AdminSite):
    site_header = "Glutasite editorial"
    site_title = "Glutasite editorial"
    index_title = "Guides, evidence and products"

    def each_context(self, request):
        context = super().each_context(request)
        if request.user.is_active and request.user.is_staff:
            context["unread_notifications"] = request.user.notifications.unread().count()
        return context

    def get_urls(self):
        from notifications.views import admin_urls

        return admin_urls(self) + super().get_urls()
