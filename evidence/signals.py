"""What the evidence library tells the apps above it. Receivers live in those apps; evidence imports none."""

from django.dispatch import Signal

# A study's retraction status changed, or a notice about it appeared: sent with `study`, `nature`
# ("retraction", "expression_of_concern", "correction" or "reinstatement") and `notice_url` (may be "").
retraction_recorded = Signal()
