from django.contrib import admin

from concurrent_edits.admin import ConcurrentEditAdminMixin

from .models import CorrectionRequest, NewsletterSubscriber, Page


@admin.register(Page)
class PageAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "for_subscribers", "updated_at"]
    list_filter = ["for_subscribers"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = True


@admin.register(NewsletterSubscriber)
class NewsletterSubscriberAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    """Addresses reach the list only through the reader's own confirmation link, never typed in here."""

    list_display = ["email", "status", "signed_up_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    date_hierarchy = "signed_up_at"
    readonly_fields = ["email", "status", "signed_up_at", "confirmed_at", "unsubscribed_at"]

    def has_add_permission(self, request):
        return False


@admin.action(description="Mark selected reports as resolved", permissions=["change"])
def mark_resolved(modeladmin, request, queryset):
    reports = list(queryset.open())
    for report in reports:
        report.status = CorrectionRequest.Status.RESOLVED
        report.save()
    modeladmin.message_user(request, f"{len(reports)} report{'s' if len(reports) != 1 else ''} marked resolved.")


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["guide", "location", "reported_at", "status", "resolved_at"]
    list_filter = ["status", "guide"]
    list_select_related = ["guide"]
    search_fields = ["description", "location", "guide__title"]
    date_hierarchy = "reported_at"
    actions = [mark_resolved]
    reader_fields = ["guide", "location", "description", "source", "email", "reported_at"]
    fields = [*reader_fields, "status", "resolved_at", "editor_note"]
    readonly_fields = [*reader_fields, "resolved_at"]

    def has_add_permission(self, request):
        return False
