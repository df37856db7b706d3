"""The guide admin's own pages: the workflow actions, the history and the review queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import revisions, workflow
from .models import Guide, GuideRevision
from .selectors import review_queue


def _change_url(guide):
    return reverse("admin:guides_guide_change", args=[guide.pk])


def _go_live_at(request):
    text = request.POST.get("go_live_at") or ""
    go_live_at = parse_datetime(text) if text else None
    if go_live_at is not None and timezone.is_naive(go_live_at):
        go_live_at = timezone.make_aware(go_live_at)
    return go_live_at


def _start_change(request, guide):
    pending = workflow.start_change(guide=guide, user=request.user)
    messages.info(request, "Edit the pending change below; readers keep the published guide until it is published.")
    return redirect(_change_url(pending))


def _publish(request, guide):
    live = guide.live_guide
    revision = workflow.publish(
        guide=guide,
        user=request.user,
        change_note=request.POST.get("change_note", ""),
        override_reason=request.POST.get("override_reason", ""),
        go_live_at=_go_live_at(request),
    )
    when = timezone.localtime(revision.published_at).strftime("%-d %B %Y, %H:%M %Z")
    messages.success(request, f"Published version {revision.number}; it goes live {when}.")
    return redirect(_change_url(live))


def _revert(request, guide):
    revision = get_object_or_404(GuideRevision, guide=guide.live_guide, number=request.POST.get("number"))
    target = workflow.revert(guide=guide, revision=revision, user=request.user)
    messages.success(request, f"Version {revision.number} is back for editing; send it to review.")
    return redirect(_change_url(target))


def _simple(run, message):
    def action(request, guide):
        run(guide=guide, user=request.user)
        messages.success(request, message)
        return redirect(_change_url(guide))

    return action


WORKFLOW_ACTIONS = {
    "edit": _start_change,
    "submit": _simple(workflow.submit_for_review, "Sent to review."),
    "sign-off": _simple(workflow.sign_off, "Signed off the current version."),
    "publish": _publish,
    "unpublish": _simple(workflow.unpublish, "Unpublished: readers no longer see this guide."),
    "revert": _revert,
}


def workflow_view(model_admin, request, object_id, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    guide = get_object_or_404(Guide, pk=object_id)
    if not model_admin.has_view_permission(request, guide) or action not in WORKFLOW_ACTIONS:
        raise PermissionDenied
    try:
        return WORKFLOW_ACTIONS[action](request, guide)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect(_change_url(guide))


def revisions_view(model_admin, request, object_id):
    guide = get_object_or_404(Guide, pk=object_id)
    if not model_admin.has_view_permission(request, guide):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"History of “{guide.live_guide}”",
        "guide": guide,
        "revisions": guide.live_guide.revisions.select_related("created_by", "signed_off_by", "published_by"),
    }
    return TemplateResponse(request, "admin/guides/guide/revisions.html", context)


def revision_view(model_admin, request, object_id, number):
    guide = get_object_or_404(Guide, pk=object_id)
    if not model_admin.has_view_permission(request, guide):
        raise PermissionDenied
    revision = get_object_or_404(GuideRevision, guide=guide.live_guide, number=number)
    previous = guide.live_guide.revisions.filter(number__lt=number).order_by("-number").first()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"“{guide.live_guide}”, version {number}",
        "guide": guide,
        "revision": revision,
        "previous": previous,
        "changes": revisions.diff(previous.content, revision.content) if previous else [],
        "can_revert": request.user.has_perm("guides.change_guide"),
    }
    return TemplateResponse(request, "admin/guides/guide/revision.html", context)


def review_queue_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Review queue",
        "queue": review_queue(),
    }
    return TemplateResponse(request, "admin/guides/guide/review_queue.html", context)
