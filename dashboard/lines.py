"""What fills each dashboard panel: `Line`s, in a fixed number of queries whatever the number of guides."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from evidence.models import Study
from guides import selectors
from guides.actions import short_status
from guides.models import Guide
from jobs.models import JobRun
from products.models import MerchantFeed, Offer
from readers.models import CorrectionRequest

LIMIT = 8  # rows a panel lists; "see all" leads to the rest


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""
    meta: str = ""
    count: int | None = None  # a number to show at the end of the line
    warn: bool = False  # overdue, or otherwise needing attention first


# --- How guides read in a panel --------------------------------------------------------------


def _person(user):
    return user.get_full_name() or user.get_username()


def guide_line(guide, at, viewer=None):
    meta = [short_status(guide, at)]
    assignment = getattr(guide, "assignment", None)
    overdue = False
    if assignment is not None:
        due = f", due {assignment.due_on:%-d %b}" if assignment.due_on else ""
        overdue = assignment.is_overdue(at)
        who = "you" if assignment.assignee_id == getattr(viewer, "pk", None) else _person(assignment.assignee)
        meta.append(f"with {who}{due}{' (overdue)' if overdue else ''}")
    comment = getattr(guide, "current_review_comment", "")
    if comment and short_status(guide, at) == "Draft, changes requested":
        meta.append(f"“{comment[:120]}{'…' if len(comment) > 120 else ''}”")
    return Line(
        str(guide),
        reverse("admin:guides_guide_change", args=[guide.pk]),
        " · ".join(meta),
        warn=overdue,
    )


def guides_panel(select):
    return lambda request, at: [guide_line(guide, at, request.user) for guide in select(request)[: LIMIT + 1]]


# --- What fills the team's panels -------------------------------------------------------------


def review_queue_counts(request, at):
    """Each reason with guides in it, as a count linking to its list; reasons with none are left out."""
    queue = reverse("admin:guides_guide_review_queue")
    lines = [
        Line(reason.label, f"{queue}?reason={reason.key}", count=reason.guides.count())
        for reason in selectors.review_queue(at)
    ]
    return [line for line in lines if line.count]


def stale_prices(request, at):
    stale = Offer.objects.active().stale(at)
    ranked = (
        stale.filter(product__rankings__guide__status=Guide.Status.PUBLISHED)
        .select_related("product__brand", "merchant")
        .distinct()
        .order_by("price_checked_at")
    )
    lines = [
        Line(
            "Offers with a stale price, hidden from readers",
            reverse("admin:products_offer_changelist") + "?freshness=stale",
            count=stale.count(),
        ),
    ]
    for offer in ranked[:LIMIT]:
        checked = timezone.localtime(offer.price_checked_at)
        lines.append(
            Line(
                str(offer),
                reverse("admin:products_offer_change", args=[offer.pk]),
                f"ranked in a published guide · price checked {checked:%-d %b, %H:%M}",
                warn=True,
            ),
        )
    return lines


def open_reports(request, at):
    reports = CorrectionRequest.objects.open().select_related("guide__pending_change_of").order_by("-reported_at")
    return [
        Line(
            f"“{report.guide}”" + (f": {report.location}" if report.location else ""),
            reverse("admin:readers_correctionrequest_change", args=[report.pk]),
            f"reported {timezone.localtime(report.reported_at):%-d %b, %H:%M} · {report.description[:100]}",
        )
        for report in reports[: LIMIT + 1]
    ]


def retracted_studies(request, at):
    cited = Q(citations__isnull=False) | Q(claim_links__claim__key_benefits__isnull=False)
    studies = (
        Study.objects.filter(retracted=True)
        .filter(cited)
        .annotate(guides=Count("citations__guide", distinct=True))
        .order_by("-retracted_on", "title")
    )
    return [
        Line(
            study.title,
            reverse("admin:evidence_study_change", args=[study.pk]),
            " · ".join(
                filter(
                    None,
                    [
                        f"retracted {study.retracted_on:%-d %B %Y}" if study.retracted_on else "retracted",
                        f"in the references of {study.guides} guide{'s' if study.guides != 1 else ''}"
                        if study.guides
                        else "behind a key benefit's claim",
                    ],
                ),
            ),
            warn=True,
        )
        for study in studies[: LIMIT + 1]
    ]


def broken_links(request, at):
    offers = (
        Offer.objects.filter(is_active=True, link_broken_since__isnull=False)
        .select_related("product__brand", "merchant")
        .order_by("-link_broken_since")
    )
    return [
        Line(
            str(offer),
            reverse("admin:products_offer_change", args=[offer.pk]),
            f"broken since {timezone.localtime(offer.link_broken_since):%-d %b, %H:%M} · hidden from readers",
            warn=True,
        )
        for offer in offers[: LIMIT + 1]
    ]


def failing_feeds(request, at):
    feeds = MerchantFeed.objects.failing().select_related("merchant").order_by("merchant__name")
    return [
        Line(
            str(feed.merchant),
            reverse("admin:products_merchant_change", args=[feed.merchant_id]),
            f"failed {feed.failures_in_a_row} times in a row · {feed.last_error[:100]}",
            warn=True,
        )
        for feed in feeds[: LIMIT + 1]
    ]


def failed_jobs(request, at):
    """Jobs whose newest run failed: a later success clears the line."""
    latest = JobRun.objects.latest_per_job()
    failed = sorted(
        (run for run in latest.values() if run.outcome == JobRun.Outcome.FAILED),
        key=lambda run: run.created_at,
        reverse=True,
    )
    return [
        Line(
            run.job.replace("_", " "),
            reverse("admin:jobs_jobrun_changelist"),
            f"failed {timezone.localtime(run.finished_at or run.created_at):%-d %b, %H:%M} · {run.last_error[:100]}",
            warn=True,
        )
        for run in failed[: LIMIT + 1]
    ]


def unread_notifications(request, at):
    unread = request.user.notifications.unread()[: LIMIT + 1]
    return [
        Line(
            notification.title,
            reverse("admin:notification_open", args=[notification.pk]),
            f"{notification.get_kind_display()} · {timezone.localtime(notification.created_at):%-d %b, %H:%M}",
        )
        for notification in unread
    ]
