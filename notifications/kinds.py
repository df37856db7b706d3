"""The kinds of notification: one list from which the settings form, the digest's grouping and the tests derive.

Each kind is made by one receiver in `notifications.receivers`; `who` says,
for the settings page, who gets it.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # a heading in the digest and a line on the settings page
    who: str  # who gets it, for the settings page


KINDS = (
    Kind("sent_to_review", "Sent to review", "the guide's reviewer (any reviewer when it names none with a login)"),
    Kind("signed_off", "Signed off", "whoever sent it to review, started it or has it"),
    Kind("changes_requested", "Changes requested", "whoever sent it to review, started it or has it"),
    Kind("published", "Published or scheduled", "whoever sent it to review, signed it off, started it or has it"),
    Kind("assigned", "Assigned to you", "the person it is given to"),
    Kind("due_soon", "Due soon", "the person who has it, the day before and on the due day"),
    Kind(
        "study_retracted", "A cited study retracted", "editors who publish, and the reviewers of the guides citing it"
    ),
    Kind("link_broken", "A ranked product's shop link broken", "whoever may edit offers"),
    Kind(
        "feed_failing", "A price feed failing", "whoever may edit offers, when a ranked product's prices come from it"
    ),
    Kind("error_reported", "A reader reported an error", "whoever handles readers' reports, and who has the guide"),
)

NotificationKind = models.TextChoices(
    "NotificationKind", [(kind.key.upper(), (kind.key, kind.label)) for kind in KINDS]
)
