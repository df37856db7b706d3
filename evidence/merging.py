"""What a record (from a reference file or a look-up by identifier) adds to a stored study, losing nothing.

`merge_record(study, record)` fills in what the study lacks and takes what the
record says differently, but a shorter author list, names with fewer
initials, an empty field, a title that is only the start of the stored one or
a year it cannot read never replace what is stored. It changes `study` in
memory and returns a `Merge`: the fields that change and, in sentences for
the preview, what was kept. Identifiers that disagree raise ValidationError:
the record is another paper. `study_values(record)` is a record's fields as a
new study stores them. The file import and the look-up by identifier both use
these two functions; neither saves anything.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .models import Study, normalise_title

MAX_AUTHORS = 6  # the reference list prints six names, then "et al." (Vancouver style)
ET_AL = "et al."
# What an import may change on a study that is already in the library. Everything
# else (design once set, participants, finding, summary, result, topics,
# retraction) is the editors' own work and is never overwritten.
BIBLIOGRAPHIC_FIELDS = ["title", "authors", "journal", "year"]
IDENTIFIER_FIELDS = ["pmid", "pmcid", "doi", "url"]


@dataclass
class Merge:
    changes: list = field(default_factory=list)  # the fields that change, by their names for editors
    kept: list = field(default_factory=list)  # what the record would have lost, in sentences


def study_values(record):
    """The record's fields as a study stores them; a year that is not four digits is kept as written."""
    return {
        "title": clean_title(record.title),
        "authors": authors_line(record.authors),
        "journal": " ".join(record.journal.split())[:300],
        "year": record.year.strip(),
        "pmid": record.pmid,
        "pmcid": record.pmcid,
        "doi": record.doi,
        "url": record.url,
    }


def merge_record(study, record):
    """Merge `record` into the stored `study` (see the module's docstring)."""
    values, merge = study_values(record), Merge()
    for name in IDENTIFIER_FIELDS:
        stored, given = getattr(study, name), values[name]
        if not given or stored.lower() == given.lower():
            continue
        label = Study._meta.get_field(name).verbose_name
        if stored and name != "url":
            raise ValidationError(f"it matches “{study}”, but its {label} {given} differs from the stored {stored}.")
        setattr(study, name, given)
        merge.changes.append(label)
    _merge_title(study, values["title"], merge)
    _merge_authors(study, record.authors, values["authors"], merge)
    if values["journal"] and values["journal"] != study.journal:
        study.journal = values["journal"]
        merge.changes.append("journal")
    elif not values["journal"] and study.journal:
        merge.kept.append(f"kept the journal “{study.journal}”; the file gives none.")
    _merge_year(study, values["year"], merge)
    if study.design == Study.Design.OTHER and record.design != Study.Design.OTHER:
        study.design = record.design
        merge.changes.append("design")
    return merge


def _merge_title(study, title, merge):
    given, stored = normalise_title(title), study.title_key or normalise_title(study.title)
    if not given or given == stored:
        return  # the same title in other capitals or punctuation: keep the stored one
    if stored.startswith(given):
        merge.kept.append("kept the stored title; the file's is only the start of it.")
        return
    study.title = title
    merge.changes.append("title")


def _merge_authors(study, names, line, merge):
    if not line or line == study.authors:
        if not line and study.authors:
            merge.kept.append("kept the stored authors; the file gives none.")
        return
    stored = [name.strip() for name in study.authors.split(",") if name.strip()]
    stored_count = MAX_AUTHORS + 1 if stored and stored[-1] == ET_AL else len(stored)
    if len(names) < stored_count:
        many = f"authors (more than {MAX_AUTHORS})" if stored and stored[-1] == ET_AL else f"{stored_count} authors"
        merge.kept.append(f"kept the stored {many}; the file lists {len(names)}.")
        return
    given = [name.strip() for name in line.split(",") if name.strip()]
    if len(given) == len(stored) and all(_fuller(mine, theirs) for mine, theirs in zip(stored, given, strict=True)):
        merge.kept.append("kept the stored authors, written with more initials than the file's.")
        return
    study.authors = line
    merge.changes.append("authors")


def _fuller(stored_name, given_name):
    """“Smith AB” says at least what “Smith A” does."""
    return _letters(stored_name).startswith(_letters(given_name))


def _letters(name):
    return re.sub(r"[\s.]+", " ", name).strip().lower()


def _merge_year(study, year, merge):
    if re.fullmatch(r"[0-9]{4}", year):
        if int(year) != study.year:
            study.year = int(year)
            merge.changes.append("year")
    elif study.year:
        why = f"the file's “{year}” is not a year." if year else "the file gives none."
        merge.kept.append(f"kept the year {study.year}; {why}")


def authors_line(names):
    names = [" ".join(name.split()) for name in names if name.strip()]
    if len(names) > MAX_AUTHORS:
        names = [*names[:MAX_AUTHORS], ET_AL]
    return ", ".join(names)


def clean_title(title):
    title = " ".join((title or "").split())
    if title.startswith("[") and title.endswith("]."):
        title = title[1:-2]  # MEDLINE brackets titles translated into English
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title
