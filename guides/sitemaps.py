from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from evidence.models import Study
from products.models import Product

from .models import Guide, Reviewer


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


SITEMAPS = {
    "guides": GuideSitemap,
    "reviewers": ReviewerSitemap,
    "products": ProductSitemap,
    "studies": StudySitemap,
}
