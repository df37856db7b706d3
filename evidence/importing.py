"""Importing references into the study library: match each record to a stored study, then write.

The admin's upload → preview → confirm and `manage.py import_references`
both call `import_references`. A preview is the same run without the final
writes, so what an editor confirms is exactly what was previewed.

A record is matched to a stored study by PMID, then DOI (ignoring case),
then normalised title and year; a match is updated, never duplicated, through
`merging.merge_record`, which never lets a record lose what is stored. One bad
record stops the whole file, with every problem named by record number, and
a file is written in one transaction, with a history entry for each study
naming who imported which file. Reading the file formats is
`reference_files.py`'s job.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .merging import BIBLIOGRAPHIC_FIELDS, IDENTIFIER_FIELDS, merge_record, study_values
from .models import Study, normalise_title
from .reference_files import ImportFileError, read_records

ACTIONS = ["new", "updated", "unchanged", "repeat"]


@dataclass
class Outcome:
    """What the import does with one record: a new study, an updated one, one left unchanged, or a
    repeat of an earlier record in the same file."""

    number: int  # the record's place in the file
    action: str  # "new", "updated", "unchanged" or "repeat"
    object: Study
    changes: list = field(default_factory=list)  # the fields that change
    same_as: int | None = None  # the earlier record a repeat matched
    notes: list = field(default_factory=list)  # for editors to act on; not problems
    kept: list = field(default_factory=list)  # what the record would have lost, kept from the library


@dataclass
class ImportReport:
    format_name: str
    dry_run: bool
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def counts(self):
        counts = dict.fromkeys(ACTIONS, 0)
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        return counts

    @property
    def notes(self):
        return [f"Record {outcome.number}: {note}" for outcome in self.outcomes for note in outcome.notes]

    @property
    def kept(self):
        return [f"Record {outcome.number}: {kept}" for outcome in self.outcomes for kept in outcome.kept]

    @property
    def summary(self):
        if not self.ok:
            many = len(self.problems) != 1
            return (
                f"Nothing was imported: the file has {len(self.problems)} problem{'s' if many else ''}. "
                f"Fix {'them' if many else 'it'} in your reference manager and import the whole file again."
            )
        counts = self.counts
        parts = [f"{counts[action]} {action}" for action in ["new", "updated", "unchanged"]]
        if counts["repeat"]:
            parts.append(f"{counts['repeat']} repeated in the file")
        records = f"{len(self.outcomes)} {self.format_name} record{'' if len(self.outcomes) == 1 else 's'}"
        return f"{records}: {', '.join(parts)}. {'Nothing is saved yet' if self.dry_run else 'Saved'}."


def import_references(text, *, dry_run=False, user=None, file_name=""):
    """Read `text` and create or update its studies, all or nothing.

    Returns an ImportReport whose problems name every bad record, in which
    case nothing is saved; raises ImportFileError when the file cannot be
    read at all. History entries name `user` and `file_name`.
    """
    format_name, records, problems = read_records(text)
    if not records and not problems:
        raise ImportFileError(f"The {format_name} file holds no records.")
    reason = f"Imported from {file_name}" if file_name else "Imported from a file"
    return import_records(
        records, format_name=format_name, problems=problems, dry_run=dry_run, user=user, reason=reason
    )


def import_records(records, *, format_name, problems=(), dry_run=False, user=None, reason=""):
    """Create or update the studies of `records` (from a file, or looked up by identifier), all or nothing;
    their history entries name `user` and `reason`."""
    report = ImportReport(format_name=format_name, dry_run=dry_run, problems=list(problems))
    if not report.ok:
        return report
    with transaction.atomic():
        library = _Library.load(records)
        for record in records:
            try:
                report.outcomes.append(library.apply(record))
            except ValidationError as error:
                report.problems.extend(record.problem(message) for message in _messages(error))
        if report.ok and not dry_run:
            library.save(user=user, reason=reason)
    return report


def _messages(error):
    if hasattr(error, "error_dict"):
        messages = []
        for name, errors in error.error_dict.items():
            label = Study._meta.get_field(name).verbose_name if name != "__all__" else ""
            messages.extend(f"{label}: {message}" if label else message for e in errors for message in e.messages)
        return messages
    return error.messages


class _Library:
    """The stored studies a file's records may match, plus the new ones it adds."""

    def __init__(self, studies):
        self.by_pmid, self.by_pmcid, self.by_doi, self.by_title = {}, {}, {}, {}
        self.new, self.changed, self.first_record = [], {}, {}
        for study in studies:
            self.index(study)

    @classmethod
    def load(cls, records):
        pmids = {record.pmid for record in records if record.pmid}
        pmcids = {record.pmcid for record in records if record.pmcid}
        dois = {record.doi.lower() for record in records if record.doi}
        titles = {normalise_title(record.title) for record in records if record.title}
        query = Q(pmid__in=pmids) | Q(pmcid__in=pmcids) | Q(doi_lower__in=dois) | Q(title_key__in=titles)
        return cls(Study.objects.annotate(doi_lower=Lower("doi")).filter(query))

    def index(self, study):
        if study.pmid:
            self.by_pmid[study.pmid] = study
        if study.pmcid:
            self.by_pmcid[study.pmcid] = study
        if study.doi:
            self.by_doi[study.doi.lower()] = study
        self.by_title.setdefault((study.title_key, str(study.year)), []).append(study)

    def match(self, record):
        by_pmid = self.by_pmid.get(record.pmid) if record.pmid else None
        by_doi = self.by_doi.get(record.doi.lower()) if record.doi else None
        if by_pmid and by_doi and by_pmid is not by_doi:
            raise ValidationError(
                f"its PMID {record.pmid} belongs to “{by_pmid}” but its DOI {record.doi} belongs to "
                f"“{by_doi}”. Correct the record, or merge the two studies first.",
            )
        if by_pmid or by_doi:
            return by_pmid or by_doi
        candidates = self.by_title.get((normalise_title(record.title), record.year), [])
        # A title and year match only when no identifier says these are different papers.
        return next(
            (
                study
                for study in candidates
                if not (study.pmid and record.pmid and study.pmid != record.pmid)
                and not (study.doi and record.doi and study.doi.lower() != record.doi.lower())
            ),
            None,
        )

    def apply(self, record):
        study = self.match(record)
        notes = []
        if record.marked_retracted:
            notes.append("PubMed marks this paper as retracted: review it and tick “retracted”.")
        if study is None:
            study = Study(design=record.design, **self.new_values(record))
            self.check(study, record)
            self.new.append(study)
            self.index(study)
            self.first_record[id(study)] = record.number
            return Outcome(record.number, "new", study, notes=notes)
        merge = merge_record(study, record)
        self.check(study, record)
        if merge.changes and study.pk:
            self.changed[study.pk] = study
        self.index(study)
        first = self.first_record.setdefault(id(study), record.number)
        action = "repeat" if first != record.number else "updated" if merge.changes else "unchanged"
        same_as = first if action == "repeat" else None
        return Outcome(record.number, action, study, merge.changes, same_as=same_as, notes=notes, kept=merge.kept)

    @staticmethod
    def new_values(record):
        """A new study needs a title, authors and a year; a stored one keeps its own when a record lacks them."""
        values = study_values(record)
        if not values["title"]:
            raise ValidationError("it has no title.")
        if not values["authors"]:
            raise ValidationError("it has no authors.")
        if not re.fullmatch(r"[0-9]{4}", values["year"] or ""):
            raise ValidationError(
                f"its year “{values['year']}” is not a year." if values["year"] else "it has no year.",
            )
        return values

    def check(self, study, record):
        owner = self.by_pmcid.get(study.pmcid) if study.pmcid else None
        if owner is not None and owner is not study:
            raise ValidationError(f"its PMCID {study.pmcid} already belongs to “{owner}”.")
        study.year = int(study.year)
        study.fill_derived_fields()
        study.clean_fields(exclude=["slug"])
        study.clean()

    def save(self, *, user, reason):
        history = {"default_user": user, "default_change_reason": reason, "default_date": timezone.now()}
        taken = _slugs_in_use([study.slug_base() for study in self.new])
        for study in self.new:
            study.slug = study.next_free_slug(taken)
            taken.add(study.slug)
        if self.new:
            bulk_create_with_history(self.new, Study, **history)
        changed = list(self.changed.values())
        if changed:
            fields = [*BIBLIOGRAPHIC_FIELDS, *IDENTIFIER_FIELDS, "design", "title_key"]
            bulk_update_with_history(changed, Study, fields, batch_size=100, **history)


def _slugs_in_use(bases, chunk=200):
    """Stored slugs that start with any of `bases`, fetched in a few queries."""
    bases = sorted(set(bases))
    taken = set()
    for start in range(0, len(bases), chunk):
        query = reduce(or_, (Q(slug__startswith=base) for base in bases[start : start + chunk]))
        taken.update(Study.objects.filter(query).values_list("slug", flat=True))
    return taken
