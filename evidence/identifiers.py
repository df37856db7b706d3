"""Reading study identifiers from what editors paste: PMIDs, PMCIDs, DOIs and the addresses that hold them.

`read_identifiers(text)` takes one reference per line (a bullet, a number or
a whole citation around it is fine) and returns what each line names, in
order, without repeats, plus the lines it could read nothing from, so the
page can say "could not read an identifier from …".
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

PMID_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d{1,9})\b", re.IGNORECASE)
PMCID = re.compile(r"\bPMC\d{3,9}\b", re.IGNORECASE)
PMID_LABEL = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
BARE_PMID = re.compile(r"^\s*(?:[-*•]\s*|\d+[.)]\s+)?(\d{1,9})\s*$")
# What follows a DOI in publishers' addresses, not part of it.
DOI_TAILS = re.compile(r"(/(?:full|abstract|fulltext|pdf|epdf|html|summary|references|meta))+/?$", re.IGNORECASE)
# MDPI addresses name the journal by ISSN, then volume/issue/article: 10.3390/<journal><vol><issue:02><article:04>.
MDPI_JOURNALS = {"1422-0067": "ijms", "2072-6643": "nu", "2076-2607": "microorganisms", "2077-0383": "jcm"}
MDPI_URL = re.compile(r"mdpi\.com/(\d{4}-\d{3}[\dX])/(\d+)/(\d+)/(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    kind: str  # "pmid", "pmcid" or "doi"
    value: str

    def __str__(self):
        return {"pmid": "PMID ", "pmcid": "", "doi": "DOI "}[self.kind] + self.value


def _doi(text):
    match = DOI.search(unquote(text))
    if not match:
        return None
    doi = DOI_TAILS.sub("", match.group(0)).rstrip(".,;")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1]  # the bracket around a DOI written in a sentence (like this one 10.1/x)
    return Identifier("doi", doi)


def identifier_in(line):
    """The identifier one line names, or None."""
    text = line.strip()
    if match := PMID_URL.search(text):
        return Identifier("pmid", match.group(1))
    if match := PMCID.search(text):
        return Identifier("pmcid", match.group(0).upper())
    if text.lower().startswith(("http://", "https://", "- http", "* http")) or "://" in text:
        url = text[text.index("http") :].split()[0]
        parts = urlsplit(url)
        for values in parse_qs(parts.query).values():  # ?doi=10.… or ?id=10.…
            for value in values:
                if found := _doi(value):
                    return found
        if match := MDPI_URL.search(url):
            issn, volume, issue, article = match.groups()
            if issn in MDPI_JOURNALS:
                return Identifier("doi", f"10.3390/{MDPI_JOURNALS[issn]}{volume}{int(issue):02d}{int(article):04d}")
        return _doi(parts.path)
    if found := _doi(text):
        return found
    if match := PMID_LABEL.search(text) or BARE_PMID.match(text):
        return Identifier("pmid", match.group(1).lstrip("0"))
    return None


def read_identifiers(text):
    """(identifiers in order without repeats, lines with none): blank lines and headings like “References” skipped."""
    found, unreadable, seen = [], [], set()
    for line in text.splitlines():
        stripped = line.strip().strip("-*• ").strip()
        if not stripped or stripped.lower() in {"references", "sources", "bibliography"}:
            continue
        identifier = identifier_in(stripped)
        if identifier is None:
            unreadable.append(stripped)
        elif (identifier.kind, identifier.value.lower()) not in seen:
            seen.add((identifier.kind, identifier.value.lower()))
            found.append(identifier)
    return found, unreadable
