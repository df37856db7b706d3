"""Retraction watch: match the Retraction Watch database against our studies.

Crossref publishes the database as one CSV, a row per notice (about 60,000
rows, with stray bytes that are not UTF-8). It is read as a stream, row by
row, from a URL (RETRACTION_WATCH_CSV_URL) or a file, in constant memory;
only rows whose original paper has one of our DOIs (ignoring case) or PMIDs
are kept. Each notice is recorded once (StudyNotice); then each study's
flags follow its notices in date order:

- Retraction marks it retracted (date, reason, link to the notice), which
  takes it out of grading, shows notices and blocks publishing;
- Expression of concern and Correction show a notice at the study and its
  citations, changing no grade;
- Reinstatement after a retraction clears the flag.

Every new notice is sent as `retraction_recorded`, and the guides citing the
study enter the review queue (guides.selectors).
"""

import csv
import io
import re
from contextlib import contextmanager
from datetime import date, datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction

from jobs import Result
from jobs.running import JobError
from outbound.http import Client, why_unreachable

from .models import Study, normalise_doi
from .notices import StudyNotice
from .signals import retraction_recorded

COLUMNS = {
    "record": "Record ID",
    "date": "RetractionDate",
    "notice_doi": "RetractionDOI",
    "notice_pmid": "RetractionPubMedID",
    "doi": "OriginalPaperDOI",
    "pmid": "OriginalPaperPubMedID",
    "nature": "RetractionNature",
    "reason": "Reason",
}
NATURES = {nature.label.lower(): nature for nature in StudyNotice.Nature}
DATE_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"]
PROGRESS_EVERY = 5000
DOWNLOAD_TIMEOUT = (10, 120)  # seconds to connect, and between two chunks of the download


@contextmanager
def open_source(source):
    """The CSV as text, bytes that are not UTF-8 replaced, from a URL or a local path."""
    if re.match(r"https?://", source, re.IGNORECASE):
        with Client(timeout=DOWNLOAD_TIMEOUT, retries=2) as client:
            try:
                response = client.get(source, stream=True)
            except (requests.ConnectionError, requests.Timeout) as error:
                # Not a JobError: the job is tried again later, as the network may come back.
                host = urlsplit(source).hostname
                raise ConnectionError(
                    f"The Retraction Watch file could not be downloaded from {host}: {why_unreachable(error)}."
                ) from None
            if response.status_code != 200:
                raise JobError(
                    f"The Retraction Watch file could not be downloaded: {source} answered {response.status_code}."
                )
            response.raw.decode_content = True
            response.raw.auto_close = False  # the text wrapper reads on to the end, then closes it
            yield io.TextIOWrapper(response.raw, encoding="utf-8", errors="replace", newline="")
    else:
        try:
            handle = open(source, "rb")  # noqa: SIM115  closed below, after the caller has read it
        except OSError as error:
            raise JobError(f"Cannot read {source}: {error.strerror}.") from None
        with handle:
            yield io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")


def matching_rows(text, *, dois, pmids, progress):
    """Rows about one of our studies, as (study id, row dict); the rest is read and dropped."""
    reader = csv.reader(text)
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS.values() if name not in header]
    if missing:
        raise JobError(f"This is not the Retraction Watch CSV: it has no column {', '.join(missing)}.")
    where = {key: header.index(name) for key, name in COLUMNS.items()}
    width = max(where.values())
    for number, row in enumerate(reader, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number, None, "notices read")
        if len(row) <= width:
            continue
        doi = normalise_doi(row[where["doi"]]).lower()
        pmid = row[where["pmid"]].strip()
        study_id = dois.get(doi) or pmids.get(pmid)
        if study_id:
            yield study_id, {key: row[index].strip() for key, index in where.items()}


def notice_date(text):
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def readable_reason(text):
    """“+Concerns/Issues About Data;+Duplication of Image;” as “Concerns/Issues About Data; Duplication of Image”."""
    return "; ".join(part.strip().lstrip("+").strip() for part in text.split(";") if part.strip().strip("+"))


def apply_notices(study):
    """Set the study's flags from all its notices, oldest first; returns the fields changed."""
    notices = sorted(study.notices.all(), key=lambda n: (n.notice_on or date.min, n.pk))
    verdicts = [n for n in notices if n.nature in {StudyNotice.Nature.RETRACTION, StudyNotice.Nature.REINSTATEMENT}]
    others = [n for n in notices if n not in verdicts]
    before = {name: getattr(study, name) for name in ["retracted", "retracted_on", "retraction_note", "notice_url"]}
    if verdicts and verdicts[-1].nature == StudyNotice.Nature.RETRACTION:
        retraction = verdicts[-1]
        study.retracted = True
        study.retracted_on = study.retracted_on or retraction.notice_on or retraction.found_at.date()
        study.retraction_note = study.retraction_note or readable_reason(retraction.reason)[:1000]
        study.notice_url = retraction.url or study.notice_url
    elif verdicts and study.retracted:
        study.retracted, study.retracted_on, study.retraction_note = False, None, ""
    if others:
        latest = others[-1]
        study.notice, study.notice_on = latest.nature, latest.notice_on
        if not study.retracted:
            study.notice_url = latest.url or study.notice_url
    changed = [name for name, value in before.items() if getattr(study, name) != value]
    return changed + (["notice", "notice_on"] if others else [])


def check_retractions(*, progress, source=None):
    """The job: read the whole file, record new notices about our studies, and update those studies."""
    source = source or settings.RETRACTION_WATCH_CSV_URL
    if not source:
        raise JobError("No Retraction Watch file: set RETRACTION_WATCH_CSV_URL or give --source.")
    dois = {doi.lower(): pk for pk, doi in Study.objects.exclude(doi="").values_list("pk", "doi")}
    pmids = {pmid: pk for pk, pmid in Study.objects.exclude(pmid="").values_list("pk", "pmid")}
    with open_source(source) as text:
        matched = list(matching_rows(text, dois=dois, pmids=pmids, progress=progress))

    new = []
    with transaction.atomic():
        for study_id, row in matched:
            nature = NATURES.get(row["nature"].lower())
            if nature is None:
                continue
            notice, created = StudyNotice.objects.get_or_create(
                study_id=study_id,
                record_id=row["record"],
                defaults={
                    "nature": nature,
                    "notice_on": notice_date(row["date"]),
                    "reason": row["reason"],
                    "notice_doi": normalise_doi(row["notice_doi"])[:255],
                    "notice_pmid": row["notice_pmid"]
                    if row["notice_pmid"].isdigit() and row["notice_pmid"] != "0"
                    else "",
                },
            )
            if created:
                new.append(notice)
        studies = Study.objects.filter(pk__in={notice.study_id for notice in new}).prefetch_related("notices")
        for study in studies:
            changed = apply_notices(study)
            if changed:
                study.save()
        for notice in new:
            transaction.on_commit(
                lambda notice=notice: retraction_recorded.send(
                    sender=Study,
                    study=notice.study,
                    nature=notice.nature,
                    notice_url=notice.url,
                ),
            )
    kinds = ", ".join(f"{notice.get_nature_display().lower()} of “{notice.study.title[:60]}”" for notice in new[:5])
    summary = f"{len(matched)} notice{'s' if len(matched) != 1 else ''} about our studies, {len(new)} new"
    return Result(changed=len(new), summary=summary + (f": {kinds}." if kinds else "."))
