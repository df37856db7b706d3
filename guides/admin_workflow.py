"""The guide admin's own pages: the workflow actions, the history, the review queue and the Markdown preview."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from . import changes, citations, workflow
from .actions import editor_time
from .models import Guide, GuideRevision
from .selectors import people_who_may, review_queue


def _change_url(guide):
    return reverse("admin:guides_guide_change", args=[guide.pk])


def _go_live_at(request):
    text = request.POST.get("go_live_at") or ""
    go_live_at = parse_datetime(text) if text else None
    if text and go_live_at is None:
        raise ValidationError(f"“{text}” is not a date and time, such as 2026-12-03 09:00.")
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
    if revision.published_at > timezone.now():
        messages.success(request, f"Version {revision.number} is scheduled for {editor_time(revision.published_at)}.")
    else:
        messages.success(request, f"Published version {revision.number}: readers see it now.")
    return redirect(_change_url(live))


def _revert(request, guide):
    revision = get_object_or_404(GuideRevision, guide=guide.live_guide, number=request.POST.get("number"))
    target = workflow.revert(guide=guide, revision=revision, user=request.user)
    messages.success(request, f"Version {revision.number} is back for editing; send it to review.")
    return redirect(_change_url(target))


def _request_changes(request, guide):
    workflow.request_changes(guide=guide, user=request.user, comment=request.POST.get("comment", ""))
    messages.success(request, "Sent back to the editor with your comment.")
    return redirect(_change_url(guide))


def _assign(request, guide):
    assignee = get_user_model().objects.filter(pk=request.POST.get("assignee") or None).first()
    if assignee is None:
        workflow.unassign(guide=guide, user=request.user)
        messages.success(request, "Nobody has this guide now.")
        return redirect(_change_url(guide))
    text = request.POST.get("due_on") or ""
    due_on = parse_date(text) if text else None
    if text and due_on is None:
        raise ValidationError(f"“{text}” is not a date, such as 2026-12-03.")
    assignment = workflow.assign(
        guide=guide,
        user=request.user,
        assignee=assignee,
        due_on=due_on,
        note=request.POST.get("note", ""),
    )
    messages.success(request, f"Assigned to {assignment.assignee.get_full_name() or assignment.assignee}.")
    return redirect(_change_url(guide))


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
    "request-changes": _request_changes,
    "publish": _publish,
    "cancel-schedule": _simple(workflow.cancel_schedule, "The schedule is cancelled; the guide is in review again."),
    "unpublish": _simple(workflow.unpublish, "Unpublished: readers no longer see this guide."),
    "revert": _revert,
    "assign": _assign,
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
        "revisions": guide.live_guide.revisions.select_related(
            "created_by",
            "signed_off_by",
            "published_by",
            "changes_requested_by",
        ),
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
        "changes": changes.diff(previous.content, revision.content) if previous else [],
        "can_revert": request.user.has_perm("guides.change_guide"),
    }
    return TemplateResponse(request, "admin/guides/guide/revision.html", context)


def review_queue_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    reasons = review_queue()
    chosen = request.GET.get("reason")
    if chosen:
        reasons = [reason for reason in reasons if reason.key == chosen]
        if not reasons:
            raise Http404("No such reason in the review queue.")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Review queue: {reasons[0].label.lower()}" if chosen else "Review queue",
        "queue": [(reason, list(reason.guides)) for reason in reasons],
        "chosen": chosen,
    }
    return TemplateResponse(request, "admin/guides/guide/review_queue.html", context)


def preview_view(model_admin, request):
    """Editor Markdown as the guide page will show it, for the admin's side-by-side preview."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    html, references, unknown = citations.preview(request.POST.get("text", "")[:100_000])
    context = {"html": html, "references": references, "unknown": unknown}
    return TemplateResponse(request, "admin/guides/guide/_preview.html", context)


def assignable_people():
    return people_who_may("guides.change_guide").order_by("first_name", "last_name", "username")
