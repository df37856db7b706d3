from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from evidence.models import ClaimStudy, Study
from products.models import Offer

from . import citations, newsletter, structured_data, workflow
from .forms import CorrectionRequestForm, NewsletterForm
from .models import Category, Citation, Guide, GuideRevision, KeyBenefit, Page, RankedProduct, Reviewer, SiteSettings
from .ratelimit import over_limit
from .search import MAX_QUERY_LENGTH, search

FEATURED_ON_HOME = 3
RECENT_ON_HOME = 6
GUIDES_PER_PAGE = 20
# Submissions per client per hour, for each reader form.
FORM_LIMIT = {"limit": 10, "window": 60 * 60}
TOO_MANY = "You have sent this form too many times in the last hour. Please wait a while and try again."


def guide_cards(guides):
    """Published guides as the home, list and category pages show them."""
    return (
        guides.select_related("category__parent__parent", "reviewer")
        .annotate(product_count=Count("ranked_products"))
        .order_by("-updated_at", "-published_at", "title")
    )


def category_tree():
    """Top-level categories with their children and how many published guides each holds, in two queries."""
    per_category = Guide.objects.published().order_by().values("category").annotate(n=Count("pk"))
    counts = dict(per_category.values_list("category", "n"))
    categories = list(Category.objects.order_by("name"))
    by_parent = {}
    for category in categories:
        category.guide_count = counts.get(category.pk, 0)
        by_parent.setdefault(category.parent_id, []).append(category)
    top = by_parent.get(None, [])
    for category in top:
        category.child_list = [child for child in by_parent.get(category.pk, []) if child.guide_count]
        category.total = category.guide_count + sum(child.guide_count for child in category.child_list)
    return [category for category in top if category.total]


def base_url(request):
    return f"{request.scheme}://{request.get_host()}"


def home(request):
    guides = guide_cards(Guide.objects.published())
    return render(
        request,
        "guides/home.html",
        {
            "featured": guides.filter(featured=True)[:FEATURED_ON_HOME],
            "recent": guides[:RECENT_ON_HOME],
            "categories": category_tree(),
            "structured_data": structured_data.website_structured_data(base_url(request)),
        },
    )


def guide_list(request):
    page = Paginator(guide_cards(Guide.objects.published()), GUIDES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "guides/guide_list.html", {"page": page})


def category_detail(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent__parent"), slug=slug)
    guides = guide_cards(Guide.objects.published().filter(Q(category=category) | Q(category__parent=category)))
    return render(
        request,
        "guides/category_detail.html",
        {
            "category": category,
            "children": category.children.all(),
            "guides": guides,
            "structured_data": structured_data.category_structured_data(category, base_url(request)),
        },
    )


def guide_page(guides):
    """Guides with everything their page shows, in a fixed number of queries."""
    offers = Offer.objects.active().select_related("merchant").with_freshness().order_by("price")
    ranked = RankedProduct.objects.select_related("product__brand").prefetch_related(
        Prefetch("product__offers", queryset=offers, to_attr="active_offers"),
    )
    benefits = KeyBenefit.objects.select_related("claim").prefetch_related(
        Prefetch("claim__claim_studies", queryset=ClaimStudy.objects.select_related("study")),
    )
    return guides.select_related("category__parent__parent", "reviewer").prefetch_related(
        Prefetch("key_benefits", queryset=benefits),
        Prefetch("ranked_products", queryset=ranked),
        "sections",
        "complaints",
        "safety_warnings",
        "faqs",
        Prefetch("citations", queryset=Citation.objects.select_related("study")),
    )


def guide_detail(request, slug):
    """The live guide for readers; for staff, its pending change if there is one.

    Staff add `?live=1` to see exactly what readers see.
    """
    if request.user.has_perm("guides.view_guide"):
        live = get_object_or_404(Guide.objects.live(), slug=slug)
        shown = live.pk
        if "live" not in request.GET:
            shown = Guide.objects.filter(draft_of=live).values_list("pk", flat=True).first() or live.pk
        guide = get_object_or_404(guide_page(Guide.objects.all()), pk=shown)
    else:
        guide = get_object_or_404(guide_page(Guide.objects.published().with_change_due()), slug=slug)
        if guide.change_due:
            # A scheduled change is live on time even when publish_scheduled has not run yet.
            workflow.publish_due_for(guide)
            guide = get_object_or_404(guide_page(Guide.objects.published()), slug=slug)
    root = guide.root
    return render(
        request,
        "guides/guide_detail.html",
        {
            "guide": guide,
            "live_guide": root,
            "ranked_products": guide.ranked_products.all(),
            "references": number_citations(guide),
            "claims_grade_exceeded": guide.grade_exceeds(
                [benefit.claim for benefit in guide.key_benefits.all() if benefit.claim],
            ),
            "changes": GuideRevision.objects.published()
            .filter(guide=root)
            .exclude(change_note="")
            .order_by("-published_at"),
            "site": SiteSettings.load(),
        },
    )


def number_citations(guide):
    """Number the guide's citations in page order, in place, and return the reference list.

    Studies come from the prefetched references and claims; a study only a
    marker cites (its reference row removed since) costs one more query.
    """
    parts = list(guide.text_in_page_order())
    known = [citation.study for citation in guide.citations.all()]
    known += [link.study for benefit in guide.key_benefits.all() if benefit.claim for link in benefit.claim.evidence]
    cited = {pk for part, html_field in parts for pk in citations.cited_study_ids(getattr(part, html_field))}
    missing = cited - {study.pk for study in known}
    if missing:
        known += Study.objects.filter(pk__in=missing)
    references = citations.ReferenceList(known)
    for part, html_field in parts:
        setattr(part, html_field, references.number(getattr(part, html_field)))
        if isinstance(part, KeyBenefit) and part.claim:
            part.claim_citations = [references.cite(link.study) for link in part.claim.evidence]
    references.add_uncited(citation.study for citation in guide.citations.all())
    return references.entries


def reviewer_detail(request, slug):
    reviewer = get_object_or_404(Reviewer, slug=slug)
    guides = Guide.objects.published().filter(reviewer=reviewer).select_related("category")
    return render(
        request,
        "guides/reviewer_detail.html",
        {
            "reviewer": reviewer,
            "guides": guides,
            "structured_data": structured_data.reviewer_structured_data(reviewer, base_url(request)),
        },
    )


def page_detail(request, slug):
    page = get_object_or_404(Page, slug=slug)
    return render(request, "guides/page_detail.html", {"page": page})


def search_results(request):
    results = search(request.GET.get("q", ""))
    return render(request, "guides/search.html", {"results": results, "max_length": MAX_QUERY_LENGTH})


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
        template="guides/report_error.html",
        context={"guide": guide},
    )
    if response:
        return response
    if valid:
        valid.instance.guide = guide
        valid.save()
    return redirect("guides:report_error_sent", slug=guide.slug)


def report_error_sent(request, slug):
    guide = get_object_or_404(Guide.objects.published(), slug=slug)
    return render(request, "guides/report_error_sent.html", {"guide": guide})


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_signup(request):
    form = NewsletterForm(request.POST or None)
    response, valid = reader_form_view(
        request,
        form,
        scope="newsletter",
        template="guides/newsletter_signup.html",
        context={"lead_magnet": newsletter.lead_magnet()},
    )
    if response:
        return response
    if valid:
        newsletter.subscriber_sign_up(email=valid.cleaned_data["email"], request=request)
    return redirect("guides:newsletter_sent")


def newsletter_sent(request):
    return render(request, "guides/newsletter_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token):
    subscriber = newsletter.subscriber_to_confirm(token)
    if subscriber is None:
        return render(request, "guides/newsletter_link_invalid.html", status=400)
    if request.method == "POST":
        newsletter.subscriber_confirm(subscriber=subscriber, request=request)
        return render(request, "guides/newsletter_confirmed.html", {"lead_magnet": newsletter.lead_magnet()})
    return render(request, "guides/newsletter_confirm.html", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token):
    subscriber = newsletter.subscriber_to_unsubscribe(token)
    if subscriber is None:
        return render(request, "guides/newsletter_link_invalid.html", status=400)
    if request.method == "POST":
        newsletter.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "guides/newsletter_unsubscribed.html", {"subscriber": subscriber})
    return render(request, "guides/newsletter_unsubscribe.html", {"subscriber": subscriber})
