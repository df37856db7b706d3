"""A guide's saved versions: the snapshot each revision keeps, its diff and its restore.

Every save that changes content stores a `GuideRevision` on the guide (never
on a pending change, which is a working copy): the history, the diff
(`guides.changes`), the version a sign-off names and the source of a revert.
What a snapshot keeps comes from `Guide.content_fields` and the parts registry.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import Guide, GuideRevision
from .parts import PARTS


def content_of(guide):
    """The guide's own content fields as stored, by attribute name."""
    return {name: getattr(guide, Guide._meta.get_field(name).attname) for name in Guide.content_fields}


def set_content(guide, values):
    """Put stored content back; a field added since a revision was stored takes its default."""
    for name in Guide.content_fields:
        field = Guide._meta.get_field(name)
        setattr(guide, field.attname, values[name] if name in values else field.get_default())


def save_content(guide):
    # save_base: the stored HTML is the one that was reviewed; keep it rather than re-render.
    guide.save_base(update_fields=[Guide._meta.get_field(name).attname for name in Guide.content_fields])


def snapshot(guide):
    """The guide's content and parts as plain JSON-ready data."""
    data = {"guide": content_of(guide)}
    for part in PARTS:
        rows = getattr(guide, part.related_name).order_by(*part.model._meta.ordering, "pk")
        data[part.related_name] = [
            {name: getattr(row, part.model._meta.get_field(name).attname) for name in part.stored_fields}
            for row in rows
        ]
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def content_hash(content):
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def current_revision(guide):
    return guide.live_guide.revisions.order_by("-number").first()


def record_revision(guide, user, at=None):
    """Store the guide's content as a new revision if it changed since the last one."""
    content = snapshot(guide)
    digest = content_hash(content)
    latest = current_revision(guide)
    if latest and latest.content_hash == digest:
        return latest
    return GuideRevision.objects.create(
        guide=guide.live_guide,
        number=(latest.number + 1) if latest else 1,
        created_at=at or timezone.now(),
        created_by=user,
        content=content,
        content_hash=digest,
    )


def restore(guide, content):
    """Put a revision's content back into an editable guide."""
    set_content(guide, content["guide"])
    save_content(guide)
    for part in PARTS:
        getattr(guide, part.related_name).all().delete()
        rows = []
        for values in content.get(part.related_name, []):
            row = part.model(guide=guide)
            for name, value in values.items():
                setattr(row, part.model._meta.get_field(name).attname, value)
            rows.append(row)
        part.model.objects.bulk_create(rows)
