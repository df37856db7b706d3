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
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from evidence.models import Study
from guides import selectors
from products.models import Product

from .lines import (
    LIMIT,
    broken_links,
    failed_jobs,
    failing_feeds,
    guides_panel,
    open_reports,
    retracted_studies,
    review_queue_counts,
    stale_prices,
    unread_notifications,
)

YOU, TEAM = "you", "team"


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
