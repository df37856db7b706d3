"""What a row looked like when an editor opened it, and who changed it since.

A version is a fingerprint of the row as stored: every column and the ids
in its many-to-many fields. Nothing is added to the tables, so every model
is covered as it is, and so is a change made by an import or a script.
Who changed it and when come from the admin log and, for models that keep
django-simple-history, from their history; an import that leaves neither is
named as such.
"""

import hashlib
import json
import time
from datetime import UTC, datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.utils import timezone


def stored_fingerprint(model, pk, *, lock=False):
    """The row as the database holds it now, or None when it is gone. With `lock`, no other
    save of the row can commit until the current transaction ends (on PostgreSQL)."""
    rows = model._base_manager.filter(pk=pk)
    with transaction.atomic(using=router.db_for_write(model)):
        columns = (rows.select_for_update() if lock else rows).values_list(
            *[field.attname for field in model._meta.concrete_fields],
        )
        values = columns.first()
        if values is None:
            return None
        related = [
            sorted(related_pk for related_pk in rows.values_list(field.name, flat=True) if related_pk is not None)
            for field in model._meta.many_to_many
        ]
    data = json.dumps([values, related], default=str, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:24]


def opened_token(model, pk):
    """What the form carries from opening to saving: when it was opened, and the row's fingerprint then."""
    return f"{time.time():.3f}:{stored_fingerprint(model, pk)}"


def changed_since(model, pk, token):
    """If the row changed since `token` was issued: when the form was opened; else None."""
    opened_at, _, fingerprint = token.partition(":")
    try:
        opened = datetime.fromtimestamp(float(opened_at), tz=UTC)
    except (ValueError, OverflowError):
        return None  # not a token of ours: nothing to compare
    return opened if stored_fingerprint(model, pk, lock=True) != fingerprint else None


def last_change(model, pk, since, *, parent=None):
    """(who, when) of the newest recorded change to the row, or to the page it is edited on, after `since`."""
    found = []
    for owner, owner_pk in [(model, pk), parent or (None, None)]:
        if owner is None:
            continue
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(owner),
                object_id=str(owner_pk),
                action_time__gt=since,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if entry:
            found.append((entry.action_time, entry.user))
    history_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if history_name:
        record = (
            getattr(model, history_name)
            .filter(**{model._meta.pk.attname: pk}, history_date__gt=since)
            .select_related("history_user")
            .order_by("-history_date")
            .first()
        )
        if record:
            found.append((record.history_date, record.history_user))
    if not found:
        return None
    when, user = max(found, key=lambda change: change[0])
    return (user.get_full_name() or user.get_username()) if user else None, when


def format_when(moment):
    return timezone.localtime(moment).strftime("%-d %B %Y, %H:%M %Z")


def conflict_message(model, pk, opened, *, parent=None):
    noun = model._meta.verbose_name
    change = last_change(model, pk, opened, parent=parent)
    if change is None:
        by = "by an import or a script (which leave no name)"
    else:
        who, when = change
        by = f"by {who or 'someone'} at {format_when(when)}"
    return (
        f"This {noun} was changed {by} since you opened it, so your save was refused and nothing was "
        f"overwritten. What you typed is still below: copy what you need, open the {noun} again and make "
        "your change there."
    )
