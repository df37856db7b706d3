"""Import references from RIS, BibTeX and PubMed MEDLINE (.nbib) files.

The admin's upload → preview → confirm and `manage.py import_references`
both call `import_references`. A preview is the same run without the final
writes, so what an editor confirms is exactly what was previewed.

A record is matched to a stored study by PMID, then DOI (ignoring case),
then normalised title and year; a match is updated, never duplicated. One bad
record stops the whole file, with every problem named by record number.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from .models import Study, normalise_doi, normalise_title

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_AUTHORS = 6  # the reference list prints six names, then "et al." (Vancouver style)

FORMAT_NAMES = {"ris": "RIS", "bibtex": "BibTeX", "medline": "PubMed MEDLINE"}

# What an import may change on a study that is already in the library. Everything
# else (design once set, participants, finding, summary, result, topics,
# retraction) is the editors' own work and is never overwritten.
BIBLIOGRAPHIC_FIELDS = ["title", "authors", "journal", "year"]
IDENTIFIER_FIELDS = ["pmid", "pmcid", "doi", "url"]

_DESIGN_BY_TYPE = [
    ("meta-analysis", Study.Design.META_ANALYSIS),
    ("systematic review", Study.Design.SYSTEMATIC_REVIEW),
    ("randomized controlled trial", Study.Design.RCT),
    ("randomised controlled trial", Study.Design.RCT),
    ("observational study", Study.Design.OBSERVATIONAL),
]
_PMID_IN_TEXT = re.compile(r"\bPMID:?\s*([1-9][0-9]{0,8})\b", re.IGNORECASE)
_PMCID_IN_TEXT = re.compile(r"\b(PMC[0-9]+)\b", re.IGNORECASE)
_PUBMED_URL = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/([1-9][0-9]{0,8})")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.IGNORECASE)


class ReferenceImportError(Exception):
    """The file cannot be imported; `problems` says why, record by record."""

    def __init__(self, problems, format_name=""):
        self.problems = problems
        self.format_name = format_name
        super().__init__("\n".join(problems))


@dataclass
class Reference:
    """One record as read from a file, before it meets the database."""

    number: int
    line: int | None = None
    title: str = ""
    authors: list = field(default_factory=list)
    journal: str = ""
    year: str = ""
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    url: str = ""
    publication_types: list = field(default_factory=list)
    subject_terms: list = field(default_factory=list)

    @property
    def label(self):
        return f"Record {self.number}" + (f" (line {self.line})" if self.line else "")

    @property
    def design(self):
        return guess_design(self.publication_types, self.subject_terms)

    @property
    def marked_retracted(self):
        return any(kind.strip().lower() == "retracted publication" for kind in self.publication_types)


@dataclass
class Outcome:
    """What an import does with one record."""

    number: int
    action: str  # "new", "updated", "unchanged" or "repeat"
    study: Study
    changes: list = field(default_factory=list)
    same_as: int | None = None
    notes: list = field(default_factory=list)


@dataclass
class ImportResult:
    format_name: str
    outcomes: list
    dry_run: bool

    def count(self, action):
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def summary(self):
        counts = [f"{self.count(action)} {action}" for action in ["new", "updated", "unchanged"]]
        if self.count("repeat"):
            counts.append(f"{self.count('repeat')} repeated in the file")
        records = f"{len(self.outcomes)} {self.format_name} record{'' if len(self.outcomes) == 1 else 's'}"
        return f"{records}: {', '.join(counts)}. {'Nothing is saved yet' if self.dry_run else 'Saved'}."


# Reading files -------------------------------------------------------------


def decode_upload(data):
    """Text from an uploaded file's bytes, or a ReferenceImportError saying why not."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ReferenceImportError(
            [f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_BYTES // 1024 // 1024} MB."],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReferenceImportError(
            [f"The file is not UTF-8 text (byte {error.start} cannot be read). Export it again as UTF-8."],
        ) from None
    # Valid UTF-8 may still hold NUL characters, which no reference has and PostgreSQL cannot store.
    if "\x00" in text:
        raise ReferenceImportError(
            [f"The file holds binary data, not text (character {text.index(chr(0)) + 1}). Export it again as text."],
        )
    return text


def detect_format(text):
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if re.match(r"^PMID- ?\d", line):
            return "medline"
        if re.match(r"^TY  -", line):
            return "ris"
        if stripped.startswith("@") or stripped.startswith("%"):
            return "bibtex"
        break
    raise ReferenceImportError(
        [
            "Could not tell the file's format. Expected RIS (starting “TY  - ”), BibTeX (“@article{…”) "
            "or PubMed MEDLINE (“PMID- …”)."
        ],
    )


def read_references(text):
    """The file's format name and its records."""
    kind = detect_format(text)
    parser = {"ris": parse_ris, "bibtex": parse_bibtex, "medline": parse_medline}[kind]
    return FORMAT_NAMES[kind], parser(text)


def parse_ris(text):
    references, chunk, start, number = [], [], None, 0
    problems = []
    for lineno, line in enumerate(text.splitlines(), 1):
        tag = re.match(r"^([A-Z][A-Z0-9])  -(?: |$)", line)
        if tag and tag.group(1) == "TY":
            if chunk:
                problems.append(f"Record {number} (line {start}): has no “ER  - ” line before the next record.")
            number, start, chunk = number + 1, lineno, [line]
        elif chunk:
            chunk.append(line)
            if tag and tag.group(1) == "ER":
                references.append(_ris_reference(number, start, "\n".join(chunk)))
                chunk = []
        elif line.strip():
            problems.append(f"Line {lineno}: text outside a record (records run from “TY  - ” to “ER  - ”).")
    if chunk:
        problems.append(f"Record {number} (line {start}): has no “ER  - ” line at the end.")
    if problems:
        raise ReferenceImportError(problems, "RIS")
    return references


def _ris_reference(number, line, chunk):
    (record,) = rispy.loads(chunk)
    notes = " ".join(_as_list(record.get("notes")) + _as_list(record.get("note")))
    urls = _as_list(record.get("urls"))
    accession = str(record.get("accession_number", "")).strip()
    pmid = accession if re.fullmatch(r"[1-9][0-9]{0,8}", accession) else ""
    pmid = pmid or _first_match(_PMID_IN_TEXT, notes) or _first_match(_PUBMED_URL, " ".join(urls))
    pmcid = _first_match(_PMCID_IN_TEXT, " ".join([str(record.get("custom2", "")), notes, *urls]))
    return Reference(
        number=number,
        line=line,
        title=_first(record, "primary_title", "title", "translated_title"),
        authors=[_vancouver_from_text(name) for name in _as_list(record.get("authors") or record.get("first_authors"))],
        journal=_first(
            record,
            "alternate_title1",
            "alternate_title2",
            "journal_name",
            "secondary_title",
            "alternate_title3",
        ),
        year=_year(_first(record, "year", "publication_year", "date")),
        pmid=pmid,
        pmcid=pmcid.upper(),
        doi=normalise_doi(_first(record, "doi")) or _doi_from_urls(urls),
        url=next((url for url in urls if not _PUBMED_URL.search(url) and not _DOI_URL.match(url)), ""),
        publication_types=_as_list(record.get("keywords")),
    )


def parse_bibtex(text):
    library = bibtexparser.parse_string(
        text,
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    blocks = sorted(library.entries + library.failed_blocks, key=lambda block: block.start_line or 0)
    references, problems = [], []
    for number, block in enumerate(blocks, 1):
        line = (block.start_line or 0) + 1
        if isinstance(block, ParsingFailedBlock):
            problems.append(f"Record {number} (line {line}): could not be read as BibTeX. {_bibtex_failure(block)}")
            continue
        references.append(_bibtex_reference(number, line, block))
    if problems:
        raise ReferenceImportError(problems, "BibTeX")
    return references


def _bibtex_failure(block):
    if isinstance(block, DuplicateBlockKeyBlock):
        return f"Its key “{block.key}” is already used by an earlier entry."
    if isinstance(block, DuplicateFieldKeyBlock):
        return f"It repeats the field {', '.join(sorted(block.duplicate_keys))}."
    error = block.error
    reason = getattr(error, "abort_reason", "") or getattr(error, "message", "") or str(error)
    return reason.strip().rstrip(".") + "." if reason.strip() else ""


def _bibtex_reference(number, line, entry):
    values = {key.lower(): value for key, value in entry.fields_dict.items()}

    def text(*keys):
        for key in keys:
            value = values[key].value if key in values else ""
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
        return ""

    authors = values["author"].value if "author" in values else []
    eprint = text("eprint") if text("eprinttype").lower() == "pubmed" else ""
    urls = [text("url")] if text("url") else []
    return Reference(
        number=number,
        line=line,
        title=text("title"),
        authors=[_vancouver_from_parts(name) for name in authors] if isinstance(authors, list) else [],
        journal=text("journal", "journaltitle", "booktitle"),
        year=_year(text("year", "date")),
        pmid=text("pmid") or eprint or _first_match(_PMID_IN_TEXT, text("note")),
        pmcid=(text("pmcid") or _first_match(_PMCID_IN_TEXT, text("note"))).upper(),
        doi=normalise_doi(text("doi")) or _doi_from_urls(urls),
        url=next((url for url in urls if not _PUBMED_URL.search(url) and not _DOI_URL.match(url)), ""),
        publication_types=[part.strip() for part in re.split(r"[,;]", text("keywords")) if part.strip()],
    )


def parse_medline(text):
    """PubMed's tagged format: `TAG - value`, tags padded to four characters,
    long values wrapped onto lines indented by six spaces, records apart by a
    blank line."""
    groups, current = [], None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            current = None
            continue
        if current is None or line.startswith("PMID-"):
            current = {"line": lineno, "lines": []}
            groups.append(current)
        current["lines"].append((lineno, line))
    references, problems = [], []
    for number, group in enumerate(groups, 1):
        tags, last = [], None
        for lineno, line in group["lines"]:
            tag = re.match(r"^([A-Z]{2,4}) {0,2}- (.*)$", line)
            if tag and len(line) >= 6 and line[4:6] == "- ":
                last = [tag.group(1), tag.group(2).strip()]
                tags.append(last)
            elif line.startswith("      ") and last is not None:
                last[1] = f"{last[1]} {line.strip()}"
            else:
                problems.append(
                    f"Record {number} (line {lineno}): “{line.strip()[:60]}” is neither a tag line "
                    "(“TI  - …”) nor a continuation indented by six spaces.",
                )
                break
        else:
            reference = _medline_reference(number, group["line"], tags)
            if not reference.pmid:
                problems.append(f"{reference.label}: has no “PMID- ” line.")
            references.append(reference)
    if problems:
        raise ReferenceImportError(problems, "PubMed MEDLINE")
    return references


def _medline_reference(number, line, tags):
    def values(name):
        return [value for tag, value in tags if tag == name]

    def one(*names):
        return next((values(name)[0] for name in names if values(name)), "")

    ids = values("AID") + values("LID")
    doi = next((value[: -len("[doi]")].strip() for value in ids if value.endswith("[doi]")), "")
    return Reference(
        number=number,
        line=line,
        title=one("TI", "BTI"),
        authors=values("AU") or values("CN"),
        journal=one("TA", "JT"),
        year=_year(one("DP")),
        pmid=one("PMID"),
        pmcid=one("PMC").upper(),
        doi=normalise_doi(doi),
        publication_types=values("PT"),
        subject_terms=[term.split("/")[0].lstrip("*") for term in values("MH")],
    )


def guess_design(publication_types, subject_terms=()):
    """The study design PubMed's publication types (or a file's keywords) name, else "Review or other"."""
    kinds = {kind.strip().lower() for kind in publication_types}
    for name, design in _DESIGN_BY_TYPE:
        if name in kinds:
            return design
    subjects = {term.strip().lower() for term in subject_terms}
    if "animals" in subjects and "humans" not in subjects:
        return Study.Design.ANIMAL
    return Study.Design.OTHER


def _as_list(value):
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _first(record, *keys):
    for key in keys:
        for value in _as_list(record.get(key)):
            if value.strip():
                return " ".join(value.split())
    return ""


def _first_match(pattern, text):
    found = pattern.search(text or "")
    return found.group(1) if found else ""


def _year(text):
    found = re.search(r"\b(1[89][0-9]{2}|2[01][0-9]{2})\b", text or "")
    return found.group(1) if found else (text or "").strip()


def _doi_from_urls(urls):
    return next((normalise_doi(url) for url in urls if _DOI_URL.match(url)), "")


def _initials(given):
    return "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha())


def _vancouver_from_text(name):
    """“van der Hulst, R. R.” as “van der Hulst RR”; a name without a comma (a group) as written."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) < 2 or any(word[0].islower() for word in parts[1].split()):
        return " ".join(name.split())  # a group such as “EFSA Panel on Dietetic Products, Nutrition and Allergies”
    return " ".join(part for part in [parts[0], _initials(parts[1]), " ".join(parts[2:])] if part)


def _vancouver_from_parts(name):
    surname = " ".join(name.von + name.last)
    return " ".join(part for part in [surname, _initials(" ".join(name.first)), " ".join(name.jr)] if part)


def _authors_line(names):
    names = [" ".join(name.split()) for name in names if name.strip()]
    if len(names) > MAX_AUTHORS:
        names = [*names[:MAX_AUTHORS], "et al."]
    return ", ".join(names)


# Matching and saving -------------------------------------------------------


def import_references(text, *, dry_run=False):
    """Read `text` and create or update its studies, all or nothing.

    Returns an ImportResult; raises ReferenceImportError naming every bad
    record, in which case nothing is saved.
    """
    format_name, references = read_references(text)
    if not references:
        raise ReferenceImportError([f"The {format_name} file holds no records."], format_name)
    with transaction.atomic():
        library = _Library.load(references)
        outcomes, problems = [], []
        for reference in references:
            try:
                outcomes.append(library.apply(reference))
            except ValidationError as error:
                problems.extend(f"{reference.label}: {message}" for message in _messages(error))
        if problems:
            raise ReferenceImportError(problems, format_name)
        if not dry_run:
            library.save()
    return ImportResult(format_name=format_name, outcomes=outcomes, dry_run=dry_run)


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
    def load(cls, references):
        pmids = {ref.pmid for ref in references if ref.pmid}
        pmcids = {ref.pmcid for ref in references if ref.pmcid}
        dois = {ref.doi.lower() for ref in references if ref.doi}
        titles = {normalise_title(ref.title) for ref in references if ref.title}
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

    def match(self, reference):
        by_pmid = self.by_pmid.get(reference.pmid) if reference.pmid else None
        by_doi = self.by_doi.get(reference.doi.lower()) if reference.doi else None
        if by_pmid and by_doi and by_pmid is not by_doi:
            raise ValidationError(
                f"its PMID {reference.pmid} belongs to “{by_pmid}” but its DOI {reference.doi} belongs to "
                f"“{by_doi}”. Correct the record, or merge the two studies first.",
            )
        if by_pmid or by_doi:
            return by_pmid or by_doi
        candidates = self.by_title.get((normalise_title(reference.title), reference.year), [])
        # A title and year match only when no identifier says these are different papers.
        return next(
            (
                study
                for study in candidates
                if not (study.pmid and reference.pmid and study.pmid != reference.pmid)
                and not (study.doi and reference.doi and study.doi.lower() != reference.doi.lower())
            ),
            None,
        )

    def apply(self, reference):
        values = {
            "title": _clean_title(reference.title),
            "authors": _authors_line(reference.authors),
            "journal": reference.journal[:300],
            "year": reference.year,
            "pmid": reference.pmid,
            "pmcid": reference.pmcid,
            "doi": reference.doi,
            "url": reference.url,
        }
        if not values["title"]:
            raise ValidationError("it has no title.")
        if not values["authors"]:
            raise ValidationError("it has no authors.")
        if not re.fullmatch(r"[0-9]{4}", values["year"] or ""):
            raise ValidationError(
                f"its year “{values['year']}” is not a year." if values["year"] else "it has no year."
            )
        study = self.match(reference)
        notes = []
        if reference.marked_retracted:
            notes.append("PubMed marks this paper as retracted: review it and tick “retracted”.")
        if study is None:
            study = Study(design=reference.design, **values)
            self.check(study, reference)
            self.new.append(study)
            self.index(study)
            self.first_record[id(study)] = reference.number
            return Outcome(reference.number, "new", study, notes=notes)
        changes = self.update(study, values, reference)
        self.check(study, reference)
        if changes and study.pk:
            self.changed[study.pk] = study
        self.index(study)
        first = self.first_record.setdefault(id(study), reference.number)
        if first != reference.number:
            return Outcome(reference.number, "repeat", study, changes, same_as=first, notes=notes)
        return Outcome(reference.number, "updated" if changes else "unchanged", study, changes, notes=notes)

    def update(self, study, values, reference):
        changes = []
        for name in IDENTIFIER_FIELDS:
            stored, given = getattr(study, name), values[name]
            if not given or stored.lower() == given.lower():
                continue
            if stored and name != "url":
                label = Study._meta.get_field(name).verbose_name
                raise ValidationError(
                    f"it matches “{study}”, but its {label} {given} differs from the stored {stored}.",
                )
            setattr(study, name, given)
            changes.append(Study._meta.get_field(name).verbose_name)
        for name in BIBLIOGRAPHIC_FIELDS:
            given = int(values[name]) if name == "year" else values[name]
            if name == "title" and normalise_title(given) == study.title_key:
                continue  # the same title in other capitals or punctuation: keep the stored one
            if given and getattr(study, name) != given:
                setattr(study, name, given)
                changes.append(name)
        if study.design == Study.Design.OTHER and reference.design != Study.Design.OTHER:
            study.design = reference.design
            changes.append("design")
        return changes

    def check(self, study, reference):
        owner = self.by_pmcid.get(study.pmcid) if study.pmcid else None
        if owner is not None and owner is not study:
            raise ValidationError(f"its PMCID {study.pmcid} already belongs to “{owner}”.")
        study.year = int(study.year)
        study.fill_derived_fields()
        study.clean_fields(exclude=["slug"])
        study.clean()

    def save(self):
        taken = _slugs_in_use([study.slug_base() for study in self.new])
        for study in self.new:
            study.slug = study.next_free_slug(taken)
            taken.add(study.slug)
        Study.objects.bulk_create(self.new)
        changed = list(self.changed.values())
        if changed:
            Study.objects.bulk_update(
                changed,
                [*BIBLIOGRAPHIC_FIELDS, *IDENTIFIER_FIELDS, "design", "title_key"],
                batch_size=100,
            )


def _clean_title(title):
    title = " ".join((title or "").split())
    if title.startswith("[") and title.endswith("]."):
        title = title[1:-2]  # MEDLINE brackets titles translated into English
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _slugs_in_use(bases, chunk=200):
    """Stored slugs that start with any of `bases`, fetched in a few queries."""
    bases = sorted(set(bases))
    taken = set()
    for start in range(0, len(bases), chunk):
        query = reduce(or_, (Q(slug__startswith=base) for base in bases[start : start + chunk]))
        taken.update(Study.objects.filter(query).values_list("slug", flat=True))
    return taken
