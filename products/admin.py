from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin
from tablib import Dataset

from concurrent_edits.admin import ConcurrentEditAdminMixin, ConcurrentEditInlineMixin

from .formats import CSV, EXPORT_FORMATS, IMPORT_FORMATS, XLSX
from .importing import COLUMNS, EXAMPLE_ROW, OPTIONAL_COLUMNS, ImportFileError, check_file_size, format_for_filename
from .models import AffiliateClick, Brand, Merchant, Offer, PriceHistory, Product
from .permissions import may_import
from .resources import OfferResource, ProductResource

CLICK_WINDOW = timedelta(days=30)


@admin.register(Brand)
class BrandAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Merchant)
class MerchantAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "price_max_age"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


def prepare_price_changes(offer_forms):
    """The offer forms about to save a new offer or a new price. A changed price counts as checked
    now unless the editor also set when it was checked."""
    changing = []
    for form in offer_forms:
        if form.instance._state.adding or {"price", "currency"} & set(form.changed_data):
            if not form.instance._state.adding and "price_checked_at" not in form.changed_data:
                form.instance.price_checked_at = timezone.now()
            changing.append(form)
    return changing


def record_price_history(request, offer_forms):
    offers = [form.instance for form in offer_forms if form.instance.pk]
    PriceHistory.objects.record(offers, source=PriceHistory.Source.ADMIN, user=request.user)


class OfferInline(ConcurrentEditInlineMixin, admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["merchant"]
    fields = ["merchant", "price", "currency", "price_checked_at", "affiliate_url", "in_stock", "is_active"]


class ProductImportForm(ImportForm):
    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        # The same size and file-kind rules as `manage.py import_products`.
        try:
            check_file_size(import_file.name, import_file.size)
            format_for_filename(import_file.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return import_file


# Larger than any product photo needs to be; the page shows it 240 pixels wide.
PRODUCT_IMAGE_MAX_MB = 5


class ProductForm(forms.ModelForm):
    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile) and image.size > PRODUCT_IMAGE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The photo is {image.size / 1024 / 1024:.1f} MB; photos up to {PRODUCT_IMAGE_MAX_MB} MB can be "
                "uploaded. Save it smaller, e.g. 1200 pixels wide, and upload it again.",
            )
        return image


@admin.register(Product)
class ProductAdmin(ConcurrentEditAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    form = ProductForm
    list_display = ["__str__", "sku", "form", "dose_per_serving", "servings_per_container"]
    list_filter = ["form", "brand"]
    list_select_related = ["brand"]
    search_fields = ["name", "sku", "brand__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["brand"]
    inlines = [OfferInline]
    fieldsets = [
        (None, {"fields": ["brand", "name", "slug", "sku", "form"]}),
        (
            "Label facts",
            {
                "fields": [
                    "serving_size",
                    ("amount_per_serving", "amount_unit"),
                    "servings_per_container",
                    "certifications",
                ]
            },
        ),
        ("Photo", {"fields": ["image", "image_alt"]}),
    ]
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_form_class = ProductImportForm
    import_template_name = "products/admin/import.html"

    def get_import_resource_classes(self, request):
        return [OfferResource]

    def get_export_resource_classes(self, request):
        return [ProductResource]

    def has_import_permission(self, request):
        return may_import(request.user)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_urls(self):
        return [
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="products_product_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, extension):
        """The columns and one example row, to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = {"csv": CSV, "xlsx": XLSX}.get(extension)
        if file_format is None:
            return HttpResponse(status=404)
        dataset = Dataset(list(EXAMPLE_ROW.values()), headers=list(COLUMNS))
        response = HttpResponse(file_format().export_data(dataset), content_type=file_format().get_content_type())
        response["Content-Disposition"] = f'attachment; filename="glutasite-offers-template.{extension}"'
        return response

    def get_import_context_data(self, **kwargs):
        return {
            "columns": [(name, name not in OPTIONAL_COLUMNS, help_text) for name, help_text in COLUMNS.items()],
            "max_upload_mb": settings.PRODUCTS_IMPORT_MAX_UPLOAD_MB,
        }

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if form is not None and form.is_bound and "confirm_form" not in context:
            # Nothing can be confirmed, so the uploaded copy is not needed again. A file that could not
            # be read at all is dropped from cleaned_data with its error; it is the same upload object.
            name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
            if name:
                self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def process_result(self, result, request):
        report = result.report
        if not report.ok:
            # The data changed between preview and confirm; the file was refused as a whole.
            messages.error(request, report.summary)
            for problem in report.problems:
                messages.error(request, str(problem))
            return HttpResponseRedirect(reverse("admin:products_product_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        messages.success(request, f"Import finished: {result.report.summary}")

    def save_formset(self, request, form, formset, change):
        changing = []
        if formset.model is Offer:
            saved = [f for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
            changing = prepare_price_changes(saved)
        super().save_formset(request, form, formset, change)
        record_price_history(request, changing)


class PriceFreshnessFilter(admin.SimpleListFilter):
    title = "price freshness"
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [("stale", "Stale: hidden from readers"), ("fresh", "Fresh")]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "fresh":
            return queryset.fresh()
        return queryset


@admin.register(Offer)
class OfferAdmin(ConcurrentEditAdminMixin, ExportMixin, SimpleHistoryAdmin):
    list_display = [
        "product",
        "merchant",
        "price",
        "currency",
        "price_age",
        "in_stock",
        "is_active",
        "clicks_last_30_days",
    ]
    list_filter = [PriceFreshnessFilter, "merchant", "in_stock", "is_active", "currency"]
    list_select_related = ["product__brand", "merchant"]
    search_fields = ["product__name", "product__sku", "merchant__name"]
    autocomplete_fields = ["product", "merchant"]
    readonly_fields = ["token"]
    change_list_template = "products/admin/offer_change_list.html"
    export_formats = EXPORT_FORMATS
    resource_classes = [OfferResource]

    def get_queryset(self, request):
        clicks = (
            AffiliateClick.objects.filter(offer=OuterRef("pk"), clicked_at__gte=timezone.now() - CLICK_WINDOW)
            .order_by()
            .values("offer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .with_freshness()
            .annotate(recent_clicks=Coalesce(Subquery(clicks, output_field=IntegerField()), Value(0)))
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description="price checked", ordering="price_checked_at")
    def price_age(self, offer):
        age = f"{timesince(offer.price_checked_at, timezone.now())} ago"
        return age if offer.price_is_fresh else f"{age} (stale: hidden)"

    @admin.display(description="clicks, last 30 days", ordering="recent_clicks")
    def clicks_last_30_days(self, offer):
        return offer.recent_clicks

    def save_model(self, request, obj, form, change):
        changing = prepare_price_changes([form])
        super().save_model(request, obj, form, change)
        record_price_history(request, changing)

    def get_urls(self):
        return [
            path("clicks/", self.admin_site.admin_view(self.clicks_view), name="products_offer_clicks"),
            *super().get_urls(),
        ]

    def clicks_view(self, request):
        """Clicks per offer and per guide over the last 30 days."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        recent = AffiliateClick.objects.filter(clicked_at__gte=timezone.now() - CLICK_WINDOW)
        by_offer = (
            self.get_queryset(request)
            .filter(recent_clicks__gt=0)
            .select_related("product__brand", "merchant")
            .order_by("-recent_clicks")[:100]
        )
        by_guide = (
            recent.exclude(guide_slug="")
            .values("guide_slug")
            .annotate(clicks=Count("pk"), path=Max("referrer_path"))
            .order_by("-clicks")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Affiliate clicks in the last 30 days",
            "opts": self.opts,
            "by_offer": by_offer,
            "by_guide": by_guide,
            "total": recent.count(),
        }
        return TemplateResponse(request, "products/admin/clicks.html", context)


@admin.register(PriceHistory)
class PriceHistoryAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["offer", "price", "currency", "checked_at", "source", "changed_by"]
    list_filter = ["source", "currency", "offer__merchant"]
    list_select_related = ["offer__product__brand", "offer__merchant", "changed_by"]
    search_fields = ["offer__product__name", "offer__product__sku"]
    date_hierarchy = "checked_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
