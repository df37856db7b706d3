from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.timesince import timesince
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from concurrent_edits.admin import ConcurrentEditAdminMixin, ConcurrentEditInlineMixin

from . import admin_import
from .admin_link_health import LinkHealthAdmin  # noqa: F401  registers Link health
from .exports import EXPORT_FORMATS, OfferResource, ProductResource
from .keys import normalise_key, sku_problem
from .models import AffiliateClick, Brand, Merchant, MerchantFeed, Offer, PriceHistory, Product

CLICK_WINDOW = timedelta(days=30)


@admin.register(Brand)
class BrandAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MerchantFeedInline(ConcurrentEditInlineMixin, admin.StackedInline):
    model = MerchantFeed
    extra = 0
    fields = ["url", "format", "every_hours", "header_variables", "column_mapping", "is_active", "feed_state"]
    readonly_fields = ["feed_state"]

    @admin.display(description="last fetches")
    def feed_state(self, feed):
        if feed.last_checked_at is None:
            return "Not fetched yet."
        state = f"Last fetched {timesince(feed.last_checked_at)} ago. {feed.last_summary}"
        if feed.failures_in_a_row:
            state += f" Failed {feed.failures_in_a_row} time(s) in a row: {feed.last_error}"
        return state


@admin.register(Merchant)
class MerchantAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    inlines = [MerchantFeedInline]
    list_display = ["name", "price_max_age"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


def prepare_price_changes(offer_forms):
    """The price each offer form is about to save, through `Offer.observe_price` against the stored offer,
    locked until the save commits: a changed price counts as checked now unless the editor also set when
    it was checked, and a price checked before the stored one goes into the history, not onto the offer."""
    observations = []
    for form in offer_forms:
        offer = form.instance
        if offer._state.adding:
            observations.append(offer.observe_price(offer.price, offer.currency, offer.price_checked_at))
            continue
        changed = set(form.changed_data)
        if not {"price", "currency", "price_checked_at"} & changed:
            continue
        if "price_checked_at" not in changed:
            offer.price_checked_at = timezone.now()
        stored = Offer.objects.select_for_update().get(pk=offer.pk)
        observations.append(stored.observe_price(offer.price, offer.currency, offer.price_checked_at))
        offer.price, offer.currency, offer.price_checked_at = stored.price, stored.currency, stored.price_checked_at
    return observations


def record_price_history(request, observations):
    PriceHistory.objects.record(observations, source=PriceHistory.Source.ADMIN, user=request.user)
    for seen in observations:
        if not seen.current:
            messages.warning(request, f"{seen.offer}: {seen}")


class OfferInline(ConcurrentEditInlineMixin, admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["merchant"]
    fields = [
        "merchant",
        "price",
        "currency",
        "price_checked_at",
        "affiliate_url",
        "merchant_product_id",
        "in_stock",
        "is_active",
    ]


# Larger than any product photo needs to be; the page shows it 240 pixels wide.
PRODUCT_IMAGE_MAX_MB = 5


class ProductForm(forms.ModelForm):
    def clean_sku(self):
        """The same spelling the import gives a SKU, so a look-alike cannot make a second product."""
        sku = normalise_key(self.cleaned_data.get("sku"))
        problem = sku_problem(sku)
        if problem:
            raise forms.ValidationError(problem)
        return sku

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile) and image.size > PRODUCT_IMAGE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The photo is {image.size / 1024 / 1024:.1f} MB; photos up to {PRODUCT_IMAGE_MAX_MB} MB can be "
                "uploaded. Save it smaller, e.g. 1200 pixels wide, and upload it again.",
            )
        return image


@admin.register(Product)
class ProductAdmin(ConcurrentEditAdminMixin, ExportMixin, SimpleHistoryAdmin):
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
    change_list_template = "products/admin/product_change_list.html"
    export_formats = EXPORT_FORMATS
    resource_classes = [ProductResource]

    def has_import_permission(self, request):
        return admin_import.has_import_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="products_product_import"),
            path(
                "process_import/",
                self.admin_site.admin_view(self.confirm_import_view),
                name="products_product_process_import",
            ),
            path(
                "import/run/<int:run_id>/",
                self.admin_site.admin_view(self.import_run_view),
                name="products_product_import_run",
            ),
            path(
                "import/run/<int:run_id>/confirm/",
                self.admin_site.admin_view(self.confirm_run_view),
                name="products_product_import_run_confirm",
            ),
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="products_product_import_template",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return admin_import.import_view(self, request)

    def confirm_import_view(self, request):
        return admin_import.confirm_view(self, request)

    def import_run_view(self, request, run_id):
        return admin_import.import_run_view(self, request, run_id)

    def confirm_run_view(self, request, run_id):
        return admin_import.confirm_run_view(self, request, run_id)

    def import_template_view(self, request, extension):
        return admin_import.template_view(self, request, extension)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"has_import_permission": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

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
