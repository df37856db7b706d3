"""Every kind of page a reader can reach, as paths on the demo content."""

from django.urls import reverse

from evidence.models import Claim, Study
from products.models import Product


def reader_pages():
    """Name → path for one page of each kind; call after `seed_demo`."""
    return {
        "home": reverse("readers:home"),
        "guide": reverse("guides:guide_detail", args=["l-glutamine-for-gut-health"]),
        "article": reverse("guides:guide_detail", args=["l-glutamine-and-leaky-gut"]),
        "guide list": reverse("guides:guide_list"),
        "categories": reverse("guides:category_list"),
        "category": reverse("guides:category_detail", args=["gut-health"]),
        "reviewers": reverse("guides:reviewer_list"),
        "reviewer": reverse("guides:reviewer_detail", args=["dana-reyes"]),
        "what changed": reverse("guides:what_changed"),
        "products": reverse("products:product_list"),
        "products filtered": reverse("products:product_list") + "?form=powder&certification=tested&sort=name",
        "product": Product.objects.get(sku="DEMO-NFL-GLN-500").get_absolute_url(),
        "evidence list": reverse("evidence:study_list"),
        "study": Study.objects.order_by("pk").first().get_absolute_url(),
        "claim": Claim.objects.order_by("pk").first().get_absolute_url(),
        "search": reverse("readers:search") + "?q=glutamine",
        "newsletter form": reverse("readers:newsletter_signup"),
        "error report form": reverse("readers:report_error", args=["l-glutamine-for-gut-health"]),
        "not found": "/no-such-page/",
    }
