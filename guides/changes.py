"""What changed between two versions of a guide, in editors' words.

A revision keeps ids and codes (`"product": 3`, `"evidence_grade": "limited"`);
editors read product names, grade labels and part names. `Names` looks up
what the ids in two snapshots stand for, one query per related model, and
both the history's diff and the note suggested for readers use it.
"""

import difflib

from django.db import models

from evidence.models import EvidenceGrade

from .models import Guide, RankedProduct
from .parts import PARTS
from .revisions import current_revision

EMPTY = "(empty)"


class Names:
    """Shows a stored value as editors know it: a related row by its name, a choice by its label."""

    def __init__(self, *contents):
        wanted = {}
        for content in contents:
            for model, rows in _rows_by_model(content):
                for row in rows:
                    for name, value in row.items():
                        field = model._meta.get_field(name)
                        if field.is_relation and value is not None:
                            wanted.setdefault(field.related_model, set()).add(value)
        self.names = {}
        for related, ids in wanted.items():
            queryset = related.objects.filter(pk__in=ids)
            if related._meta.label == "products.Product":
                queryset = queryset.select_related("brand")
            self.names[related] = {row.pk: str(row) for row in queryset}

    def show(self, model, name, value):
        field = model._meta.get_field(name)
        if value is None or value == "":
            return EMPTY
        if field.is_relation:
            deleted = f"a deleted {field.related_model._meta.verbose_name}"
            return self.names.get(field.related_model, {}).get(value, deleted)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return "Yes" if value else "No"
        return str(value)


def _rows_by_model(content):
    yield Guide, [content["guide"]]
    for part in PARTS:
        yield part.model, content.get(part.related_name, [])


def diff(old, new):
    """(heading, diff lines) for every field and part row that differs between two revisions' content."""
    names = Names(old, new)
    changes = []
    for name in Guide.content_fields:
        if name.endswith("_html"):
            continue
        before, after = old["guide"].get(name), new["guide"].get(name)
        if before != after:
            heading = Guide._meta.get_field(name).verbose_name.capitalize()
            changes.append((heading, _text_diff(names.show(Guide, name, before), names.show(Guide, name, after))))
    for part in PARTS:
        before_rows, after_rows = old.get(part.related_name, []), new.get(part.related_name, [])
        for index in range(max(len(before_rows), len(after_rows))):
            before = _visible(before_rows[index], part) if index < len(before_rows) else None
            after = _visible(after_rows[index], part) if index < len(after_rows) else None
            if before != after:
                changes.append(
                    (
                        row_heading(part, index, before, after, names),
                        _text_diff(_row_text(part, before, names), _row_text(part, after, names)),
                    ),
                )
    return changes


def row_heading(part, index, before, after, names):
    """“Ranked product 2 (Northfield Labs L-Glutamine Powder)”, with “added” or “removed” when it is."""
    row = after or before
    heading = f"{part.label} {index + 1} ({names.show(part.model, part.names_row, row.get(part.names_row))})"
    if before is None:
        return f"{heading}, added"
    if after is None:
        return f"{heading}, removed"
    return heading


def _visible(row, part):
    return {name: value for name, value in row.items() if name not in part.html_fields}


def _row_text(part, row, names):
    if row is None:
        return ""
    lines = []
    for name, value in row.items():
        label = str(part.model._meta.get_field(name).verbose_name).capitalize()
        lines.append(f"{label}: {names.show(part.model, name, value)}")
    return "\n".join(lines)


def _text_diff(before, after):
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))[2:]


def grade_label(value):
    return EvidenceGrade(value).label if value in EvidenceGrade.values else "no grade"


def significant_changes(old, new):
    """The changes readers must be told of: the evidence grade and the products' ranks."""
    lines = []
    before, after = old["guide"]["evidence_grade"], new["guide"]["evidence_grade"]
    if before != after:
        lines.append(f"Evidence grade changed from {grade_label(before)} to {grade_label(after)}.")
    old_ranks = {row["product"]: row["rank"] for row in old.get("ranked_products", [])}
    new_ranks = {row["product"]: row["rank"] for row in new.get("ranked_products", [])}
    if old_ranks != new_ranks:
        names = Names(old, new)

        def called(product):
            return names.show(RankedProduct, "product", product)

        for product, rank in sorted(new_ranks.items(), key=lambda item: item[1]):
            if product not in old_ranks:
                lines.append(f"Added {called(product)} at #{rank}.")
            elif old_ranks[product] != rank:
                lines.append(f"{called(product)} moved from #{old_ranks[product]} to #{rank}.")
        for product, rank in old_ranks.items():
            if product not in new_ranks:
                lines.append(f"Removed {called(product)} (was #{rank}).")
    return lines


def suggested_change_note(guide):
    """Lines for "What changed" that rank and evidence changes always need."""
    live = guide.live_guide.revisions.published().order_by("-number").first()
    current = current_revision(guide)
    if live is None or current is None:
        return ""
    return "\n".join(significant_changes(live.content, current.content))
