from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from glutasite.page_tags import GUIDE_LISTS, guide_tag, product_tag, tag_page

from . import prerendered, structured_data, workflow
from .models import Category, Guide, Reviewer, SiteSettings
from .outline import outline
from .selectors import (
    at_a_glance,
    categories_with_guides,
    guide_cards,
    guide_changes,
    guide_page,
    guides_in_category,
    links_to_shops,
    number_citations,
    recent_changes,
    reviewers_with_guides,
)

GUIDES_PER_PAGE = 20
CHANGES_PER_PAGE = 30


def guide_list(request):
    tag_page(request, GUIDE_LISTS)
    page = Paginator(guide_cards(Guide.objects.published()), GUIDES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "guides/guide_list.html", {"page": page})


guide_list.reads_query = {"page"}  # the page cache keys on these only (readers/cache.py)


def category_list(request):
    tag_page(request, GUIDE_LISTS)
    return render(request, "guides/category_list.html", {"categories": categories_with_guides()})


def reviewer_list(request):
    tag_page(request, GUIDE_LISTS)
    return render(request, "guides/reviewer_list.html", {"reviewers": reviewers_with_guides()})


def what_changed(request):
    """Every note for readers across published guides, newest first: corrections, new studies, new ranks."""
    tag_page(request, GUIDE_LISTS)
    page = Paginator(recent_changes(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "guides/what_changed.html", {"page": page})


what_changed.reads_query = {"page"}


def category_detail(request, slug):
    tag_page(request, GUIDE_LISTS)
    category = get_object_or_404(Category.objects.select_related("parent__parent"), slug=slug)
    return render(
        request,
        "guides/category_detail.html",
        {
            "category": category,
            "children": category.children.all(),
            "guides": guides_in_category(category),
            "structured_data": structured_data.category_structured_data(category, structured_data.site_url(request)),
        },
    )


def guide_detail(request, slug):
    """The guide for readers; for staff, its pending change if there is one.

    Staff add `?live=1` to see exactly what readers see. Readers get the
    guide's text as rendered once per content version, around its prices as
    they are now (guides/prerendered.py).
    """
    if request.user.has_perm("guides.view_guide"):
        guide = get_object_or_404(Guide.objects.exclude_pending_changes(), slug=slug)
        shown = guide.pk
        if "live" not in request.GET:
            shown = Guide.objects.filter(pending_change_of=guide).values_list("pk", flat=True).first() or guide.pk
        guide = get_object_or_404(guide_page(Guide.objects.all()), pk=shown)
        return render(request, prerendered.TEMPLATE, guide_page_context(guide))
    # What the price blocks need, and no ORDER BY for one row (Django would first match it against every
    # selected column). The rest of the page is kept text, or comes from reader_page_context.
    guide = get_object_or_404(Guide.objects.published().select_related("reviewer").order_by(), slug=slug)
    html, ranked_products = prerendered.render_page(request, guide, reader_page_context)
    tag_page(request, guide_tag(guide.pk), *(product_tag(ranked.product_id) for ranked in ranked_products))
    return HttpResponse(html)


def reader_page_context(guide):
    """The full page's context for readers, after putting a scheduled change live if its time has come.

    A scheduled change is live on time even when publish_scheduled has not run
    yet: the kept page is drawn again from its `next_change_at` on.
    """
    next_change_at = workflow.next_scheduled_change(guide)
    if next_change_at is not None and next_change_at <= timezone.now():
        workflow.publish_due_for(guide)
        next_change_at = workflow.next_scheduled_change(guide)
    guide = get_object_or_404(guide_page(Guide.objects.published()), pk=guide.pk)
    return {**guide_page_context(guide), "next_change_at": next_change_at}


def guide_page_context(guide):
    """Everything the guide page shows, for a guide fetched with `guide_page`."""
    ranked_products = guide.ranked_products.all()
    shop_links_in_text = links_to_shops(guide)
    references = number_citations(guide)
    changes = list(guide_changes(guide))
    blocks = outline(guide, ranked_products=ranked_products, references=references, changes=changes)
    return {
        "guide": guide,
        "live_guide": guide.live_guide,
        "ranked_products": ranked_products,
        "references": references,
        "claims_grade_exceeded": guide.grade_exceeds(
            [benefit.claim for benefit in guide.key_benefits.all() if benefit.claim],
        ),
        "changes": changes,
        "blocks": blocks,
        "contents": [block for block in blocks if block.in_contents],
        "glance": at_a_glance(guide, ranked_products),
        "discloses_affiliate_links": bool(ranked_products) or shop_links_in_text,
        "has_free_guide_box": any(section.free_guide_box_after for section in guide.sections.all()),
        "site": SiteSettings.load(),
    }


def reviewer_detail(request, slug):
    reviewer = get_object_or_404(Reviewer, slug=slug)
    tag_page(request, GUIDE_LISTS)
    guides = Guide.objects.published().filter(reviewer=reviewer).select_related("category")
    return render(
        request,
        "guides/reviewer_detail.html",
        {
            "reviewer": reviewer,
            "guides": guides,
            "structured_data": structured_data.reviewer_structured_data(reviewer, structured_data.site_url(request)),
        },
    )
