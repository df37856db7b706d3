"""Admin → Products → Link health: every checked offer by outcome, with the shop's answer and a CSV export."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from .models import LinkCheck

CSV_COLUMNS = ["offer", "merchant", "outcome", "last checked", "HTTP status", "response", "ended at", "link"]


@admin.register(LinkCheck)
class LinkHealthAdmin(admin.ModelAdmin):
    list_display = ["offer", "outcome", "checked_at", "status_code", "response", "final_url", "hidden_from_readers"]
    list_filter = ["outcome", "offer__merchant"]
    list_select_related = ["offer__product__brand", "offer__merchant"]
    search_fields = ["offer__product__name", "offer__product__sku", "offer__merchant__name"]
    change_list_template = "products/admin/link_health_change_list.html"
    readonly_fields = [field.name for field in LinkCheck._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="hidden", boolean=True)
    def hidden_from_readers(self, check):
        return check.offer.link_broken_since is not None

    def get_urls(self):
        return [
            path("export.csv", self.admin_site.admin_view(self.export_view), name="products_linkcheck_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The list as filtered on the page, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        checks = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="link-health-{timezone.localdate():%Y-%m-%d}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for check in checks:
            writer.writerow(
                [
                    _cell(str(check.offer.product)),
                    _cell(check.offer.merchant.name),
                    check.get_outcome_display(),
                    timezone.localtime(check.checked_at).isoformat(),
                    check.status_code or "",
                    _cell(check.response),
                    _cell(check.final_url),
                    _cell(check.offer.affiliate_url),
                ],
            )
        return response


def _cell(text):
    # A spreadsheet would run a cell starting like a formula; the offer export does the same.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
