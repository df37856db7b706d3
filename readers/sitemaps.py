from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from evidence.models import Study
from guides.models import Category, Guide, Reviewer
from products.models import Product

from .models import Page


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return Guide.objects.published().order_by("pk")

    def lastmod(self, guide):
        return guide.updated_at or guide.published_at


class ReviewerSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        published = Guide.objects.published()
        return (
            Reviewer.objects.filter(guides__in=published)
            .annotate(last_guide_update=Max("guides__updated_at"))
            .order_by("pk")
            .distinct()
        )

    def lastmod(self, reviewer):
        return reviewer.last_guide_update


class ProductSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Product.objects.filter(rankings__guide__in=Guide.objects.published()).distinct().order_by("pk")


class StudySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Study.objects.order_by("pk")


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        """Categories with published guides of their own or in a child category, as their pages list,
        each with `last_guide_update` over those guides."""
        published = Guide.objects.published().order_by().values("category").annotate(last=Max("updated_at"))
        last_update = {row["category"]: row["last"] for row in published}
        with_guides = Category.objects.filter(pk__in=last_update).values_list("pk", "parent")
        dates = {}
        for pk, parent in with_guides:
            for shown_on in filter(None, [pk, parent]):
                dates.setdefault(shown_on, []).append(last_update[pk])
        categories = list(Category.objects.filter(pk__in=dates))
        for category in categories:
            category.last_guide_update = max((date for date in dates[category.pk] if date), default=None)
        return sorted(categories, key=lambda category: category.pk)

    def lastmod(self, category):
        return category.last_guide_update


class PageSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return Page.objects.listed().order_by("pk")

    def lastmod(self, page):
        return page.updated_at


class ListingSitemap(Sitemap):
    """The home page and the lists of guides, categories, reviewers, products and changes, last changed when
    a published guide last did."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "readers:home",
            "guides:guide_list",
            "guides:category_list",
            "guides:reviewer_list",
            "guides:what_changed",
            "products:product_list",
        ]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Guide.objects.published().aggregate(last=Max("updated_at"))["last"]


SITEMAPS = {
    "listings": ListingSitemap,
    "guides": GuideSitemap,
    "categories": CategorySitemap,
    "reviewers": ReviewerSitemap,
    "products": ProductSitemap,
    "studies": StudySitemap,
    "pages": PageSitemap,
}
