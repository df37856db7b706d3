"""Retraction Watch CSV files for the tests, written the way Crossref publishes them.

Columns and formats follow the published file: dates like “8/13/2020 0:00”,
reasons as “+Reason;+Reason;”, “0” for a missing PubMed ID, and now and then
a name in Windows-1252 bytes, which is not UTF-8.
"""

import csv
import io

HEADER = [
    "Record ID",
    "Title",
    "Subject",
    "Institution",
    "Journal",
    "Publisher",
    "Country",
    "Author",
    "URLS",
    "ArticleType",
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDate",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
    "Reason",
    "Paywalled",
    "Notes",
]
NATURES = ["Retraction", "Expression of concern", "Correction", "Reinstatement"]
REASONS = [
    "+Concerns/Issues About Data;",
    "+Duplication of Image;+Investigation by Journal/Publisher;",
    "+Error in Analyses;",
]


def notice(record_id, *, doi="", pmid="0", nature="Retraction", date="8/13/2020 0:00", reason=REASONS[0], title=""):
    """One row, about the paper with `doi` / `pmid`."""
    return {
        "Record ID": str(record_id),
        "Title": title or f"A study of something, number {record_id}",
        "Subject": "(BLS) Biology - Cellular;(HSC) Medicine - Gastroenterology;",
        "Institution": "Department of Gastroenterology, Example University Hospital, Exampletown, Country",
        "Journal": "Journal of Examples",
        "Publisher": "Example Publishing",
        "Country": "Country",
        "Author": "A Author;B Author",
        "URLS": "https://retractionwatch.com/",
        "ArticleType": "Research Article;",
        "RetractionDate": date,
        "RetractionDOI": f"10.9999/notice.{record_id}",
        "RetractionPubMedID": "0",
        "OriginalPaperDate": "1/1/2019 0:00",
        "OriginalPaperDOI": doi or f"10.9999/paper.{record_id}",
        "OriginalPaperPubMedID": pmid,
        "RetractionNature": nature,
        "Reason": reason,
        "Paywalled": "No",
        "Notes": "",
    }


def write(path, rows, *, filler=0):
    """`rows` first, then `filler` rows about other papers; every 997th filler row has Windows-1252 bytes."""
    with open(path, "wb") as out:
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=HEADER, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
        out.write(text.getvalue().encode())
        for number in range(filler):
            text = io.StringIO()
            row = notice(100000 + number, nature=NATURES[number % 4], reason=REASONS[number % 3])
            csv.DictWriter(text, fieldnames=HEADER, lineterminator="\r\n").writerow(row)
            data = text.getvalue().encode()
            if number % 997 == 0:
                data = data.replace(b"A Author", "Müller Ångström".encode("cp1252"))
            out.write(data)
    return path
