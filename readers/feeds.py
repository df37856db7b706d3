from django.urls import reverse_lazy

from guides.feeds import BrandedFeed
from guides.models import Guide


class LatestGuidesFeed(BrandedFeed):
    title = "Glutasite: latest supplement guides"
    link = reverse_lazy("readers:home")
    subtitle = "Evidence-based supplement guides, reviewed by credentialed professionals."

    def items(self):
        return Guide.objects.published().select_related("reviewer").order_by("-updated_at", "-published_at")[:30]

    def item_title(self, guide):
        return guide.title

    def item_description(self, guide):
        return guide.intro_html

    def item_author_name(self, guide):
        return str(guide.reviewer)

    def item_pubdate(self, guide):
        return guide.published_at

    def item_updateddate(self, guide):
        return guide.updated_at or guide.published_at
