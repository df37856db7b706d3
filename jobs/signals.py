"""What the job runner tells the apps that use it. Receivers live in those apps."""

from django.dispatch import Signal

# A run finished without error: sent with `sender` the Job and `run` the JobRun (items_changed, summary).
job_finished = Signal()
