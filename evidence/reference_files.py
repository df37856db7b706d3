"""Reading reference files: RIS, BibTeX and PubMed MEDLINE (.nbib) into `Record`s.

`decode_upload()` turns an upload's bytes into text or refuses the file with
an `ImportFileError` (too large, not UTF-8, binary). `read_records()` tells
the format from the content and returns the file's records, with a `Problem`
for each record that cannot be read, named by its number and line, so that
one bad record is reported beside all the others instead of stopping at the
first. Matching records to stored studies is `importing.py`'s job.
"""

import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock

from .models import Study, normalise_doi

MAX_IMPORT_BYTES = 5 * 1024 * 1024
FORMAT_NAMES = {"ris": "RIS", "bibtex": "BibTeX", "medline": "PubMed MEDLINE"}

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


class ImportFileError(Exception):
    """The file cannot be read at all; the message is meant for staff."""


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: “Record 2 (line 8): it has no title.”"""

    message: str
    record: int | None = None
    line: int | None = None

    def __str__(self):
        if self.record:
            where = f"Record {self.record}" + (f" (line {self.line})" if self.line else "")
        elif self.line:
            where = f"Line {self.line}"
        else:
            return self.message
        return f"{where}: {self.message}"


@dataclass
class Record:
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
    def design(self):
        return guess_design(self.publication_types, self.subject_terms)

    @property
    def marked_retracted(self):
        return any(kind.strip().lower() == "retracted publication" for kind in self.publication_types)

    def problem(self, message):
        return Problem(message, self.number, self.line)


def check_file_size(size):
    """Refuse a file over MAX_IMPORT_BYTES; the admin asks before reading the upload."""
    if size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_BYTES // 1024 // 1024} MB.",
        )


def decode_upload(data):
    """Text from an uploaded file's bytes, or an ImportFileError saying why not."""
    check_file_size(len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as some Windows exports write it
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise ImportFileError(
                "The file says it is UTF-16 text but is cut off or damaged. Export it again."
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {error.start} on line {line} cannot be read). Export it again as UTF-8.",
        ) from None
    # Valid UTF-8 may still hold NUL characters, which no reference has and PostgreSQL cannot store.
    if "\x00" in text:
        position = text.index(chr(0))
        raise ImportFileError(
            f"The file holds binary data, not text (character {position + 1}, on line "
            f"{text.count(chr(10), 0, position) + 1}). Export it again as text.",
        )
    if not text.strip():
        raise ImportFileError(
            "The file is empty: it holds no references. Export them again from your reference manager."
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
    raise ImportFileError(
        "Could not tell the file's format. Expected RIS (starting “TY  - ”), BibTeX (“@article{…”) "
        "or PubMed MEDLINE (“PMID- …”).",
    )


def read_records(text):
    """The file's format name, its records and the problems of those that cannot be read."""
    kind = detect_format(text)
    parser = {"ris": parse_ris, "bibtex": parse_bibtex, "medline": parse_medline}[kind]
    return FORMAT_NAMES[kind], *parser(text)


def parse_ris(text):
    records, chunk, start, number = [], [], None, 0
    problems = []
    for lineno, line in enumerate(text.splitlines(), 1):
        tag = re.match(r"^([A-Z][A-Z0-9])  -(?: |$)", line)
        if tag and tag.group(1) == "TY":
            if chunk:
                problems.append(Problem("has no “ER  - ” line before the next record.", number, start))
            number, start, chunk = number + 1, lineno, [line]
        elif chunk:
            chunk.append(line)
            if tag and tag.group(1) == "ER":
                records.append(_ris_record(number, start, "\n".join(chunk)))
                chunk = []
        elif line.strip():
            problems.append(Problem("text outside a record (records run from “TY  - ” to “ER  - ”).", line=lineno))
    if chunk:
        problems.append(Problem("has no “ER  - ” line at the end.", number, start))
    return records, problems


def _ris_record(number, line, chunk):
    (record,) = rispy.loads(chunk)
    notes = " ".join(_as_list(record.get("notes")) + _as_list(record.get("note")))
    urls = _as_list(record.get("urls"))
    accession = str(record.get("accession_number", "")).strip()
    pmid = accession if re.fullmatch(r"[1-9][0-9]{0,8}", accession) else ""
    pmid = pmid or _first_match(_PMID_IN_TEXT, notes) or _first_match(_PUBMED_URL, " ".join(urls))
    pmcid = _first_match(_PMCID_IN_TEXT, " ".join([str(record.get("custom2", "")), notes, *urls]))
    return Record(
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
    records, problems = [], []
    for number, block in enumerate(blocks, 1):
        line = (block.start_line or 0) + 1
        if isinstance(block, ParsingFailedBlock):
            problems.append(Problem(f"could not be read as BibTeX. {_bibtex_failure(block)}", number, line))
            continue
        records.append(_bibtex_record(number, line, block))
    return records, problems


def _bibtex_failure(block):
    if isinstance(block, DuplicateBlockKeyBlock):
        return f"Its key “{block.key}” is already used by an earlier entry."
    if isinstance(block, DuplicateFieldKeyBlock):
        return f"It repeats the field {', '.join(sorted(block.duplicate_keys))}."
    error = block.error
    reason = getattr(error, "abort_reason", "") or getattr(error, "message", "") or str(error)
    return reason.strip().rstrip(".") + "." if reason.strip() else ""


def _bibtex_record(number, line, entry):
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
    return Record(
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
    records, problems = [], []
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
                    Problem(
                        f"“{line.strip()[:60]}” is neither a tag line (“TI  - …”) nor a continuation indented by "
                        "six spaces.",
                        number,
                        lineno,
                    ),
                )
                break
        else:
            record = _medline_record(number, group["line"], tags)
            if not record.pmid:
                problems.append(record.problem("has no “PMID- ” line."))
            records.append(record)
    return records, problems


def _medline_record(number, line, tags):
    def values(name):
        return [value for tag, value in tags if tag == name]

    def one(*names):
        return next((values(name)[0] for name in names if values(name)), "")

    ids = values("AID") + values("LID")
    doi = next((value[: -len("[doi]")].strip() for value in ids if value.endswith("[doi]")), "")
    return Record(
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
