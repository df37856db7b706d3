from django.contrib import admin
from django.utils import timezone
from django.utils.timesince import timesince

from .models import Brand, Merchant, Offer, Product


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "price_max_age"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["merchant"]
    fields = ["merchant", "price", "currency", "price_checked_at", "affiliate_url", "in_stock", "is_active"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
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


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["product", "merchant", "price", "currency", "price_age", "in_stock", "is_active"]
    list_filter = ["merchant", "in_stock", "is_active", "currency"]
    list_select_related = ["product__brand", "merchant"]
    search_fields = ["product__name", "product__sku", "merchant__name"]
    autocomplete_fields = ["product", "merchant"]

    @admin.display(description="price checked", ordering="price_checked_at")
    def price_age(self, offer):
        return f"{timesince(offer.price_checked_at, timezone.now())} ago"
