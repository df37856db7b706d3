from django.contrib.sitemaps.views import sitemap
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from glutasite.page_tags import GUIDE_LISTS, PRODUCT_LISTS, STUDY_LISTS, tag_page
from guides import structured_data
from guides.models import Guide
from guides.selectors import category_tree, guide_cards

from . import newsletter
from .forms import CorrectionRequestForm, NewsletterForm
from .models import Page
from .ratelimit import over_limit
from .search import MAX_QUERY_LENGTH, search
from .sitemaps import SITEMAPS

FEATURED_ON_HOME = 3
RECENT_ON_HOME = 6
# Submissions per client per hour, for each reader form.
FORM_LIMIT = {"limit": 10, "window": 60 * 60}
TOO_MANY = "You have sent this form too many times in the last hour. Please wait a while and try again."


def home(request):
    tag_page(request, GUIDE_LISTS)
    guides = guide_cards(Guide.objects.published())
    featured = list(guides.filter(featured=True)[:FEATURED_ON_HOME])
    return render(
        request,
        "readers/home.html",
        {
            "featured": featured,
            # A featured guide is shown once, at the top, not again among the recent ones.
            "recent": guides.exclude(pk__in=[guide.pk for guide in featured])[:RECENT_ON_HOME],
            "categories": category_tree(),
            "structured_data": structured_data.website_structured_data(
                structured_data.site_url(request),
                reverse("readers:search"),
            ),
        },
    )


def page_detail(request, slug):
    page = get_object_or_404(Page, slug=slug)
    return render(request, "readers/page_detail.html", {"page": page})


def search_results(request):
    tag_page(request, GUIDE_LISTS, PRODUCT_LISTS, STUDY_LISTS)
    results = search(request.GET.get("q", ""))
    return render(request, "readers/search.html", {"results": results, "max_length": MAX_QUERY_LENGTH})


search_results.reads_query = {"q"}


def reader_form_view(request, form, *, scope, template, context):
    """Handle a reader form's POST: rate limit, honeypot, validation.

    Returns (response, form_to_save): a response to send as it is, or a
    valid form from a person to save and then redirect.
    """
    if request.method != "POST":
        return render(request, template, {**context, "form": form}), None
    if over_limit(request, scope, **FORM_LIMIT):
        form.add_error(None, TOO_MANY)
        return render(request, template, {**context, "form": form}, status=429), None
    if form.filled_by_bot:
        # Answered like a success so a bot learns nothing; nothing is stored or sent.
        return None, None
    if not form.is_valid():
        return render(request, template, {**context, "form": form}), None
    return None, form


@never_cache
@require_http_methods(["GET", "POST"])
def report_error(request, slug):
    guide = get_object_or_404(Guide.objects.published(), slug=slug)
    form = CorrectionRequestForm(request.POST or None)
    response, valid = reader_form_view(
        request,
        form,
        scope="report_error",
        template="readers/report_error.html",
        context={"guide": guide},
    )
    if response:
        return response
    if valid:
        valid.instance.guide = guide
        valid.save()
    return redirect("readers:report_error_sent", slug=guide.slug)


def report_error_sent(request, slug):
    guide = get_object_or_404(Guide.objects.published(), slug=slug)
    return render(request, "readers/report_error_sent.html", {"guide": guide})


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_signup(request):
    form = NewsletterForm(request.POST or None)
    response, valid = reader_form_view(
        request,
        form,
        scope="newsletter",
        template="readers/newsletter_signup.html",
        context={"lead_magnet": newsletter.lead_magnet()},
    )
    if response:
        return response
    if valid:
        newsletter.subscriber_sign_up(email=valid.cleaned_data["email"], request=request)
    return redirect("readers:newsletter_sent")


def newsletter_sent(request):
    return render(request, "readers/newsletter_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token):
    subscriber = newsletter.subscriber_to_confirm(token)
    if subscriber is None:
        return render(request, "readers/newsletter_link_invalid.html", status=400)
    if request.method == "POST":
        newsletter.subscriber_confirm(subscriber=subscriber, request=request)
        return render(request, "readers/newsletter_confirmed.html", {"lead_magnet": newsletter.lead_magnet()})
    return render(request, "readers/newsletter_confirm.html", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token):
    subscriber = newsletter.subscriber_to_unsubscribe(token)
    if subscriber is None:
        return render(request, "readers/newsletter_link_invalid.html", status=400)
    if request.method == "POST":
        newsletter.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "readers/newsletter_unsubscribed.html", {"subscriber": subscriber})
    return render(request, "readers/newsletter_unsubscribe.html", {"subscriber": subscriber})


def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)


sitemap_xml.reads_query = {"p"}
