"""The dashboard: one declarative list of panels, one of quick actions.

A `Panel` says what it is called, whether it is about what needs the
signed-in person now (`YOU`) or about the team (`TEAM`), who may see it, the
selector that fills it (returning `Line`s) and where its full list is. To
add a panel or a quick action, add one entry below. Every panel fills in a
fixed number of queries whatever the number of guides, and a person sees
only panels and actions their permissions let them use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from evidence.models import Study
from guides import selectors
from guides.actions import short_status
from guides.models import Guide
from jobs.models import JobRun
from products.models import MerchantFeed, Offer, Product
from readers.models import CorrectionRequest

YOU, TEAM = "you", "team"
LIMIT = 8  # rows a panel lists; "see all" leads to the rest


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""
    meta: str = ""
    count: int | None = None  # a number to show at the end of the line
    warn: bool = False  # overdue, or otherwise needing attention first


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    audience: str
    may_see: Callable[[Any], bool]  # request -> bool
    fill: Callable[[Any, Any], list]  # (request, at) -> up to LIMIT + 1 Lines
    link: str = ""  # the URL name of the whole list
    link_query: str = ""
    empty: str = "Nothing here."
    note: Callable[[Any], str] = lambda request: ""  # a sentence above the lines, e.g. why a list is empty


@dataclass(frozen=True)
class QuickAction:
    label: str
    url_name: str
    may_use: Callable[[Any], bool]


def perm(name):
    return lambda request: request.user.has_perm(name)


def everyone(request):
    return True


def model_admin(model):
    return admin.site.get_model_admin(model)


def may_add_studies(request):
    """As the study admin's own import pages ask: add and change studies."""
    studies = model_admin(Study)
    return studies.has_add_permission(request) and studies.has_change_permission(request)


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


def sign_off_note(request):
    if request.user.has_perm("guides.sign_off_guide") and getattr(request.user, "reviewer_profile", None) is None:
        return "Sign-off needs a reviewer profile linked to your login: an editor links it under Reviewers → “user”."
    return ""


PANELS = (
    Panel(
        "sign-off",
        "Waiting for your sign-off",
        YOU,
        perm("guides.sign_off_guide"),
        guides_panel(lambda request: selectors.awaiting_sign_off(request.user)),
        "admin:guides_guide_review_queue",
        "?reason=in-review",
        empty="Nothing waits for your sign-off.",
        note=sign_off_note,
    ),
    Panel(
        "publish",
        "Signed off, ready to publish",
        YOU,
        perm("guides.publish_guide"),
        guides_panel(lambda request: selectors.ready_to_publish()),
        "admin:guides_guide_review_queue",
        "?reason=in-review",
        empty="Nothing signed off waits to be published.",
    ),
    Panel(
        "drafts",
        "Your drafts and pending changes",
        YOU,
        perm("guides.change_guide"),
        guides_panel(lambda request: selectors.started_by(request.user)),
        "admin:guides_guide_changelist",
        empty="You have no drafts or pending changes. Start one with “Write a new guide”.",
    ),
    Panel(
        "assigned",
        "Assigned to you",
        YOU,
        perm("guides.change_guide"),
        guides_panel(lambda request: selectors.assigned_to(request.user)),
        empty="Nothing is assigned to you.",
    ),
    Panel(
        "notifications",
        "Unread notifications",
        YOU,
        everyone,
        unread_notifications,
        "admin:notifications",
        empty="Nothing unread.",
    ),
    Panel(
        "queue",
        "Review queue",
        TEAM,
        perm("guides.view_guide"),
        review_queue_counts,
        "admin:guides_guide_review_queue",
        empty="No guide needs attention.",
    ),
    Panel(
        "stale-prices",
        "Stale prices",
        TEAM,
        perm("products.view_offer"),
        stale_prices,
        "admin:products_offer_changelist",
        "?freshness=stale",
    ),
    Panel(
        "reports",
        "Open reader reports",
        TEAM,
        perm("readers.view_correctionrequest"),
        open_reports,
        "admin:readers_correctionrequest_changelist",
        "?status__exact=open",
        empty="No open reports from readers.",
    ),
    Panel(
        "broken-links",
        "Broken shop links",
        TEAM,
        perm("products.view_linkcheck"),
        broken_links,
        "admin:products_linkcheck_changelist",
        empty="No shop link is broken.",
    ),
    Panel(
        "failing-feeds",
        "Failing price feeds",
        TEAM,
        perm("products.view_merchantfeed"),
        failing_feeds,
        "admin:products_merchant_changelist",
        empty="Every price feed answered its last fetch.",
    ),
    Panel(
        "failed-jobs",
        "Jobs that failed",
        TEAM,
        perm("jobs.view_jobrun"),
        failed_jobs,
        "admin:jobs_jobrun_changelist",
        empty="No job's last run failed.",
    ),
    Panel(
        "retractions",
        "Retracted studies that guides cite",
        TEAM,
        perm("evidence.view_study"),
        retracted_studies,
        "admin:evidence_study_changelist",
        "?retracted__exact=1",
        empty="No guide cites a retracted study.",
    ),
)

QUICK_ACTIONS = (
    QuickAction("Write a new guide", "admin:guides_guide_add", perm("guides.add_guide")),
    QuickAction("Review queue", "admin:guides_guide_review_queue", perm("guides.view_guide")),
    QuickAction(
        "Import products",
        "admin:products_product_import",
        lambda request: model_admin(Product).has_import_permission(request),
    ),
    QuickAction("Import references", "admin:evidence_study_import", may_add_studies),
    QuickAction("Add studies by identifier", "admin:evidence_study_add_by_identifier", may_add_studies),
    QuickAction("Notification settings", "admin:notification_settings", everyone),
)


@dataclass(frozen=True)
class FilledPanel:
    panel: Panel
    lines: list
    more: bool
    link_url: str
    note: str


def _url(name, query=""):
    try:
        return reverse(name) + query if name else ""
    except NoReverseMatch:  # a page another part of the site has not added yet
        return ""


def dashboard(request, at=None):
    """The panels and quick actions the signed-in person may use, filled."""
    at = at or timezone.now()
    filled = []
    for panel in PANELS:
        if not panel.may_see(request):
            continue
        lines = panel.fill(request, at)
        filled.append(
            FilledPanel(
                panel, lines[:LIMIT], len(lines) > LIMIT, _url(panel.link, panel.link_query), panel.note(request)
            ),
        )
    actions = [(action.label, _url(action.url_name)) for action in QUICK_ACTIONS if action.may_use(request)]
    return {
        "you_panels": [panel for panel in filled if panel.panel.audience == YOU],
        "team_panels": [panel for panel in filled if panel.panel.audience == TEAM],
        "quick_actions": [(label, url) for label, url in actions if url],
    }
