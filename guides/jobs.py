from datetime import timedelta

from django.utils import timezone
from huey import crontab

from jobs import Job, Result

from . import workflow
from .models import Guide

EVERY_MINUTE = timedelta(minutes=1)


def publish_scheduled(*, progress, at=None):
    """Put due pending changes live, and count guides whose first publication time came in the last minute:
    they need no write, but the readers' page cache must forget the pages that did not list them yet."""
    at = at or timezone.now()
    applied = workflow.publish_due(at)
    went_live = Guide.objects.published(at).filter(published_at__gt=at - EVERY_MINUTE).count()
    summary = f"Published {applied} scheduled change{'s' if applied != 1 else ''}"
    if went_live:
        summary += f"; {went_live} guide{'s' if went_live != 1 else ''} went live at their scheduled time"
    return Result(changed=applied + went_live, summary=summary + ".")


JOBS = (
    Job(
        name="publish_scheduled",
        title="Publish scheduled guides and changes",
        run=publish_scheduled,
        schedule=crontab(),
        schedule_words="every minute",
        retries=2,
        retry_delay=10,
    ),
)
