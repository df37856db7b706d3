"""Atom feeds with the site's icon and logo, and the feed of what changed in published guides."""

from django.contrib.syndication.views import Feed
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from .selectors import recent_changes

FEED_ITEMS = 30


class BrandedAtom1Feed(Atom1Feed):
    """Atom with <icon> (square) and <logo> (twice as wide as tall), as feed readers show them."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for element in ("icon", "logo"):
            if self.feed.get(element):
                handler.addQuickElement(element, self.feed[element])


class BrandedFeed(Feed):
    feed_type = BrandedAtom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["icon"] = request.build_absolute_uri(static("img/icon-192.png"))
        feed.feed["logo"] = request.build_absolute_uri(static("img/logo-wide.png"))
        return feed


class GuideChangesFeed(BrandedFeed):
    title = "Glutasite: what changed in our guides"
    link = reverse_lazy("guides:what_changed")
    subtitle = "Corrections, new studies and new rankings in published guides, as their notes for readers say."

    def items(self):
        return recent_changes()[:FEED_ITEMS]

    def item_title(self, revision):
        return f"{revision.guide.title}: what changed"

    def item_description(self, revision):
        lines = format_html_join("", "<li>{}</li>", ((line,) for line in revision.change_lines))
        return format_html("<ul>{}</ul>", lines)

    def item_link(self, revision):
        # Each version's notes have their own anchor under "What changed", which also makes each entry's id unique.
        return reverse("guides:guide_detail", kwargs={"slug": revision.guide.slug}) + f"#change-{revision.number}"

    def item_pubdate(self, revision):
        return revision.published_at

    def item_updateddate(self, revision):
        return revision.published_at
