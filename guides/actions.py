"""What a person may do to a guide now, and, when they may not, why.

The guide's admin page shows `guide_actions()`: the next steps of the
guide's state, each either enabled (the person may take it now) or disabled
with a reason they can act on ("Sign-off needs a reviewer profile linked to
your login"). The transitions in `guides.workflow` check the same rules
again when the button is pressed. `status_sentence()` says where the guide
stands, naming scheduled states by their time.
"""

from dataclasses import dataclass

from django.utils import timezone

from .models import Guide


@dataclass(frozen=True)
class Action:
    name: str  # the workflow URL's action
    label: str
    reason: str = ""  # why the person cannot take it now; empty when they can
    help: str = ""  # what it does, in a sentence
    danger: bool = False  # takes something away from readers

    @property
    def enabled(self):
        return not self.reason


def editor_time(moment, at=None):
    """“3 December, 09:00 UTC” in the site's time zone, with the year when it is not this year's."""
    local = timezone.localtime(moment)
    year = "" if local.year == timezone.localtime(at or timezone.now()).year else f" {local.year}"
    return f"{local.day} {local:%B}{year}, {local:%H:%M %Z}"


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else "someone"


def status_sentence(guide, revision=None, at=None):
    """Where the guide stands, in one sentence an editor can act on."""
    if guide.is_scheduled(at):
        when = guide.scheduled_for if guide.is_pending_change else guide.published_at
        if guide.is_pending_change:
            return f"Scheduled for {editor_time(when, at)}: readers keep the live version until then."
        return f"Scheduled for {editor_time(when, at)}: readers get “not found” until then."
    if guide.status == Guide.Status.DRAFT:
        if revision is not None and revision.changes_requested:
            return (
                f"Draft: {_person(revision.changes_requested_by)} asked for changes on "
                f"{editor_time(revision.changes_requested_at, at)}."
            )
        return "Draft."
    if guide.status == Guide.Status.IN_REVIEW:
        if revision is not None and revision.is_signed_off:
            return (
                f"In review: version {revision.number} signed off by {revision.signed_off_by.name} on "
                f"{editor_time(revision.signed_off_at, at)}, ready to publish once the checks pass."
            )
        number = f"version {revision.number} " if revision else ""
        return f"In review: {number}waiting for a reviewer's sign-off."
    if guide.status == Guide.Status.PUBLISHED:
        return f"Published: readers see it since {editor_time(guide.published_at, at)}."
    return "Unpublished: readers get “not found” until it is published again."


def _sign_off_reason(user):
    if not user.has_perm("guides.sign_off_guide"):
        return "Sign-off is for Reviewers: assign the guide to one."
    reviewer = getattr(user, "reviewer_profile", None)
    if reviewer is None:
        return "Sign-off needs a reviewer profile linked to your login (Reviewers → your profile → “user”)."
    if reviewer.missing_credentials:
        return f"Sign-off needs your {', '.join(reviewer.missing_credentials)} on your reviewer profile."
    return ""


def _publish_reason(user, checks):
    if not user.has_perm("guides.publish_guide"):
        return "Publishing is for Editors."
    blocking = sum(1 for check in checks if check.blocking)
    if blocking:
        return f"Publishing is blocked: {blocking} check{'s' if blocking != 1 else ''} must be fixed."
    return ""


def guide_actions(guide, user, *, revision, checks, has_pending_change=False, at=None):
    """The next steps for this guide's state, enabled or with the reason they are not."""
    may_edit = "" if user.has_perm("guides.change_guide") else "Editing guides is for Editors and Reviewers."
    may_publish = "" if user.has_perm("guides.publish_guide") else "Publishing is for Editors."
    if guide.is_scheduled(at):
        return [
            Action(
                "cancel-schedule",
                "Cancel the schedule",
                may_publish,
                "It goes back to “in review, signed off”, to edit or publish again.",
            ),
        ]
    if guide.status in {Guide.Status.DRAFT, Guide.Status.UNPUBLISHED}:
        return [Action("submit", "Send to review", may_edit, "A reviewer reads this version and signs it off.")]
    if guide.status == Guide.Status.IN_REVIEW:
        actions = []
        signed_off = revision is not None and revision.is_signed_off
        if not signed_off:
            number = f" version {revision.number}" if revision else ""
            actions.append(Action("sign-off", f"Sign off{number}", _sign_off_reason(user)))
        may_review = "" if user.has_perm("guides.sign_off_guide") else "Sending a guide back is for Reviewers."
        actions.append(
            Action("request-changes", "Request changes", may_review, "Sends it back to the editor with your comment."),
        )
        actions.append(Action("publish", "Publish", _publish_reason(user, checks)))
        return actions
    # Published and live.
    actions = []
    if not has_pending_change:
        actions.append(
            Action("edit", "Start a change", may_edit, "Copies the live guide into a pending change you can edit."),
        )
    actions.append(
        Action(
            "unpublish",
            "Unpublish",
            may_publish,
            "Readers get “not found” until it is published again.",
            danger=True,
        ),
    )
    return actions


def short_status(guide, at=None):
    """The status in a few words for lists, from `selectors.with_current_revision`'s annotations."""
    if guide.is_scheduled(at):
        return f"Scheduled for {editor_time(guide.scheduled_for or guide.published_at, at)}"
    asked = getattr(guide, "current_changes_requested_at", None)
    submitted = getattr(guide, "current_submitted_at", None)
    if guide.status == Guide.Status.DRAFT and asked and (submitted is None or submitted < asked):
        return "Draft, changes requested"
    if guide.status == Guide.Status.IN_REVIEW and getattr(guide, "current_signed_off_at", None):
        return "Signed off, ready to publish"
    return guide.get_status_display()
