from django.contrib import admin

from .models import Study


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "first_author", "journal", "year", "design", "pmid", "doi"]
    list_filter = ["design", "year"]
    search_fields = ["title", "authors", "journal", "pmid", "pmcid", "doi", "slug"]
    prepopulated_fields = {"slug": ["authors", "year"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "authors", "journal", "year"]}),
        ("Identifiers", {"fields": ["pmid", "pmcid", "doi", "url"]}),
        ("What it studied", {"fields": ["design", "participants", "finding"]}),
    ]
