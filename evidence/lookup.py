"""Looking studies up by identifier: NCBI E-utilities, the PMC ID converter and Crossref.

PMIDs go to PubMed's `esummary` (JSON, up to 200 at once); PMCIDs and DOIs
first to the PMC ID converter, which gives their PMID when PubMed has the
paper; DOIs PubMed does not have go to Crossref's `/works/{doi}`. Base
addresses come from PUBMED_API_URL, NCBI_PMC_IDCONV_URL and CROSSREF_API_URL;
NCBI gets `tool` and `email` and at most 3 requests a second (10 with
NCBI_API_KEY), Crossref a `mailto`; every request times out and is retried
with backoff when busy. The results are `reference_files.Record`s, so adding
studies goes through the same matching and "never lose information" rules as
a reference file (`importing.import_records`). A PubMed publication type
“Retracted Publication” is kept on the record.
"""

import re
from dataclasses import asdict

from django.conf import settings

from outbound.http import Client

from .reference_files import Record

ESUMMARY_BATCH = 200
MONTHS = re.compile(r"^(\d{4})")


class LookupFailed(Exception):
    """A service could not be asked or answered nonsense; the message is for staff."""


def ncbi_params(**params):
    params |= {"tool": settings.NCBI_TOOL, "email": settings.NCBI_EMAIL}
    if settings.NCBI_API_KEY:
        params["api_key"] = settings.NCBI_API_KEY
    return params


def clients():
    ncbi_rate = 10 if settings.NCBI_API_KEY else 3
    return (
        Client(min_interval=1 / ncbi_rate, timeout=(5, 20), retries=3),
        Client(min_interval=0.1, timeout=(5, 20), retries=3),
    )


def _json(response, service):
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise LookupFailed(f"{service} answered HTTP {response.status_code}; try again later.")
    try:
        return response.json()
    except ValueError:
        raise LookupFailed(f"{service} did not answer in JSON.") from None


def convert_ids(ncbi, ids):
    """{PMCID or DOI (lower case): {"pmid", "pmcid", "doi"}} from the PMC ID converter."""
    if not ids:
        return {}
    url = settings.NCBI_PMC_IDCONV_URL
    data = _json(ncbi.get(url, params=ncbi_params(ids=",".join(ids), format="json")), "The PMC ID converter") or {}
    found = {}
    for record in data.get("records", []):
        if record.get("status") == "error":
            continue
        ids_of = {"pmid": record.get("pmid", ""), "pmcid": record.get("pmcid", ""), "doi": record.get("doi", "")}
        found[record.get("requested-id", "").lower()] = ids_of
    return found


def pubmed_summaries(ncbi, pmids):
    """{PMID: Record} from esummary."""
    records = {}
    url = settings.PUBMED_API_URL.rstrip("/") + "/esummary.fcgi"
    for start in range(0, len(pmids), ESUMMARY_BATCH):
        batch = pmids[start : start + ESUMMARY_BATCH]
        data = _json(ncbi.get(url, params=ncbi_params(db="pubmed", id=",".join(batch), retmode="json")), "PubMed")
        result = (data or {}).get("result", {})
        for uid in result.get("uids", []):
            summary = result.get(uid, {})
            if summary.get("error"):
                continue
            ids = {item.get("idtype"): item.get("value", "") for item in summary.get("articleids", [])}
            year = MONTHS.match(summary.get("pubdate", "") or summary.get("epubdate", ""))
            records[uid] = Record(
                number=0,
                title=summary.get("title", ""),
                authors=[author.get("name", "") for author in summary.get("authors", []) if author.get("name")],
                journal=summary.get("fulljournalname") or summary.get("source", ""),
                year=year.group(1) if year else "",
                pmid=uid,
                pmcid=(ids.get("pmc") or ids.get("pmcid", "").removeprefix("pmc-id: ").split(";")[0]).upper(),
                doi=ids.get("doi", ""),
                publication_types=list(summary.get("pubtype", [])),
            )
    return records


def crossref_work(crossref, doi):
    url = settings.CROSSREF_API_URL.rstrip("/") + f"/works/{doi}"
    data = _json(crossref.get(url, params={"mailto": settings.NCBI_EMAIL}), "Crossref")
    if not data:
        return None
    work = data.get("message", {})
    parts = (work.get("issued") or work.get("published") or {}).get("date-parts") or [[None]]
    year = str(parts[0][0]) if parts and parts[0] and parts[0][0] else ""
    authors = [
        f"{person.get('family', '')} {_initials(person.get('given', ''))}".strip() for person in work.get("author", [])
    ]
    kinds = ["Retracted Publication"] if any(u.get("type") == "retraction" for u in work.get("updated-by", [])) else []
    return Record(
        number=0,
        title=" ".join((work.get("title") or [""])[0].split()),
        authors=[name for name in authors if name],
        journal=(work.get("container-title") or [""])[0],
        year=year,
        doi=work.get("DOI", doi),
        publication_types=kinds,
    )


def _initials(given):
    return "".join(part[0] for part in re.split(r"[\s.-]+", given) if part)


def look_up(identifiers, progress=lambda *args, **kwargs: None):
    """(records in the order asked, identifiers nobody knows): each record numbered as pasted."""
    ncbi, crossref = clients()
    with ncbi, crossref:
        converted = convert_ids(ncbi, [i.value for i in identifiers if i.kind in {"pmcid", "doi"}])
        pmid_of = {}
        for identifier in identifiers:
            if identifier.kind == "pmid":
                pmid_of[identifier] = identifier.value
            else:
                pmid_of[identifier] = converted.get(identifier.value.lower(), {}).get("pmid", "")
        summaries = pubmed_summaries(ncbi, sorted({pmid for pmid in pmid_of.values() if pmid}))
        records, unknown = [], []
        for number, identifier in enumerate(identifiers, start=1):
            record = summaries.get(pmid_of[identifier])
            ids = converted.get(identifier.value.lower(), {})
            if record is None and identifier.kind == "doi":
                record = crossref_work(crossref, identifier.value)
            elif record is None and ids.get("doi"):
                record = crossref_work(crossref, ids["doi"])
            if record is None:
                unknown.append(str(identifier))
            else:
                record.number = number
                record.pmcid = record.pmcid or ids.get("pmcid", "")
                records.append(record)
            progress(number, len(identifiers), "identifiers")
    return records, unknown


def as_json(record):
    return asdict(record)


def from_json(data):
    return Record(**data)
