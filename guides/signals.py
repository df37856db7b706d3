"""What the editorial workflow tells the apps above guides (the editors' notifications).

Receivers live in those apps; guides imports none of them. Each is sent by a
`guides.workflow` transition inside its transaction, with `guide`, `user`
(who acted) and the keyword named below, so a receiver's writes commit or
roll back with the transition.
"""

from django.dispatch import Signal

# The guide's current version is waiting for a reviewer: `revision`.
sent_to_review = Signal()
# A reviewer approved the current version: `revision`.
signed_off = Signal()
# A reviewer sent the version back with a comment (`revision.review_comment`): `revision`.
changes_requested = Signal()
# An editor published the version, now or at `revision.published_at`: `revision`.
published = Signal()
# Someone gave the guide to a person, with a due date: `assignment`.
assigned = Signal()
