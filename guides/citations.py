"""Citation markers in guide text and the numbered references they become.

An editor cites a study anywhere in a guide's Markdown with `[@pmid:7902229]`,
`[@doi:10.1016/…]` or `[@<study slug>]`. When the text is saved, each marker
outside code becomes a placeholder holding the study's id, so a later change
to the study's slug or identifiers cannot break the citation. Numbers are not
stored: they depend on where a marker sits on the whole page, which changes
whenever any part of the guide is edited. The guide page numbers the
placeholders in the order a reader meets them (`ReferenceList`); citations side
by side are shown in ascending order with a comma between them, written here,
so no comma ever lands before a citation that follows text.

Placeholders are added after the Markdown is sanitised, and the sanitiser
lets editors write no `class` or `data-` attributes, so a placeholder in
stored HTML always comes from here.
"""

import re
from dataclasses import dataclass, field
from html import escape

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from evidence.models import Study, normalise_doi
from richtext.markdown import render_markdown
from richtext.rewrite import rewrite_html

MARKER = re.compile(r"\[@([^\[\]\s]+)\]")
PLACEHOLDER = re.compile(r'<sup class="citation" data-study="([0-9]+)"></sup>')
# Placeholders with nothing but spaces between them are one run of citations, e.g. "[@a] [@b]".
PLACEHOLDER_RUN = re.compile(rf"{PLACEHOLDER.pattern}(?:\s*{PLACEHOLDER.pattern})*")
# Between two citations of a run, and only there: never before a citation that follows text.
SEPARATOR = mark_safe('<sup class="citation-separator">,</sup>')


def parse_marker(key):
    """("pmid", "7902229"), ("doi", "10.1016/…") or ("slug", "…") for a marker's inner text."""
    kind, _, value = key.partition(":")
    if kind.lower() == "pmid" and value:
        return "pmid", value.strip()
    if kind.lower() == "doi" and value:
        return "doi", normalise_doi(value).lower()
    return "slug", key


def _rewrite_text(html, rewrite):
    return rewrite_html(html, text=rewrite)


def markers_in(html):
    """The inner text of every marker in rendered HTML, outside code, in order."""
    found = []

    def collect(text):
        found.extend(MARKER.findall(text))
        return escape(text, quote=False)

    _rewrite_text(html, collect)
    return found


def resolve(keys):
    """Map each marker key to its study, in one query; unknown keys are left out."""
    parsed = {key: parse_marker(key) for key in keys}
    wanted = {kind: {value for k, value in parsed.values() if k == kind} for kind in ["pmid", "doi", "slug"]}
    if not keys:
        return {}
    studies = list(
        Study.objects.annotate(doi_lower=Lower("doi")).filter(
            Q(pmid__in=wanted["pmid"]) | Q(doi_lower__in=wanted["doi"]) | Q(slug__in=wanted["slug"]),
        ),
    )
    lookup = {}
    for study in studies:
        lookup[("pmid", study.pmid)] = study
        lookup[("doi", study.doi.lower())] = study
        lookup[("slug", study.slug)] = study
    return {key: lookup[kind_value] for key, kind_value in parsed.items() if kind_value in lookup}


def link_markers(html):
    """Replace resolvable markers in rendered HTML with placeholders.

    Returns the new HTML and the cited studies. A marker that matches no
    study stays as text; `unresolved_markers` is what stops it being saved.
    """
    studies = resolve(set(markers_in(html)))
    if not studies:
        return html, []

    def placeholder(match):
        study = studies.get(match.group(1))
        return f'<sup class="citation" data-study="{study.pk}"></sup>' if study else escape(match.group(0), quote=False)

    def rewrite(text):
        # Escape around the markers, never inside the placeholders.
        pieces, last = [], 0
        for match in MARKER.finditer(text):
            pieces.append(escape(text[last : match.start()], quote=False))
            pieces.append(placeholder(match))
            last = match.end()
        pieces.append(escape(text[last:], quote=False))
        return "".join(pieces)

    return _rewrite_text(html, rewrite), list(dict.fromkeys(studies.values()))


def unresolved_markers(htmls):
    """The markers in these pieces of rendered HTML that match no study, each once, looked up in one query."""
    keys = [key for html in htmls for key in markers_in(html)]
    studies = resolve(set(keys))
    return [f"[@{key}]" for key in dict.fromkeys(keys) if key not in studies]


def cited_study_ids(html):
    return [int(pk) for pk in PLACEHOLDER.findall(html or "")]


@dataclass
class Reference:
    number: int
    study: Study
    anchors: list = field(default_factory=list)


class ReferenceList:
    """Numbers a page's citations by first appearance; one entry per study."""

    def __init__(self, studies):
        self.studies = {study.pk: study for study in studies}
        self.by_study = {}

    @property
    def entries(self):
        return list(self.by_study.values())

    def entry(self, study):
        if study.pk not in self.by_study:
            self.by_study[study.pk] = Reference(len(self.by_study) + 1, study)
        return self.by_study[study.pk]

    def cite(self, study):
        """The superscript number for one more citation of `study`."""
        reference = self.entry(study)
        anchor = f"cite-{reference.number}-{len(reference.anchors) + 1}"
        reference.anchors.append(anchor)
        return format_html(
            '<sup class="citation{}" id="{}"><a href="#ref-{}">'
            '<span class="visually-hidden">Reference </span>{}</a>{}</sup>',
            " citation-retracted" if study.retracted else "",
            anchor,
            reference.number,
            reference.number,
            " (retracted)" if study.retracted else "",
        )

    def cite_run(self, studies):
        """Citations side by side: numbered in the order they are met, shown ascending, commas between."""
        unique = list(dict.fromkeys(studies))
        for study in unique:
            self.entry(study)
        ordered = sorted(unique, key=lambda study: self.by_study[study.pk].number)
        return mark_safe(SEPARATOR.join(self.cite(study) for study in ordered))  # each citation is format_html

    def number(self, html):
        """Stored HTML with its placeholders turned into numbered citations."""

        def replace(match):
            cited = (self.studies.get(int(pk)) for pk in PLACEHOLDER.findall(match.group(0)))
            return self.cite_run([study for study in cited if study])

        return mark_safe(PLACEHOLDER_RUN.sub(replace, html or ""))  # sanitised on save; placeholders are ours

    def add_uncited(self, studies):
        """List studies no text cites after the cited ones, without a way back to the text."""
        for study in studies:
            self.entry(study)


def marker_for(study):
    """The marker an editor types to cite `study`: by PMID, else DOI, else its slug."""
    if study.pmid:
        return f"[@pmid:{study.pmid}]"
    if study.doi:
        return f"[@doi:{study.doi}]"
    return f"[@{study.slug}]"


def preview(text):
    """Editor Markdown as a guide page shows it: (HTML, reference entries, unknown markers).

    Citations are numbered from 1 in this text (on the page the numbers run
    over the whole guide); a marker that matches no study is wrapped in
    <mark class="marker-unknown">, and saving would refuse it.
    """
    html, studies = link_markers(render_markdown(text))
    references = ReferenceList(studies)
    unknown = []

    def flag(text):
        pieces, last = [], 0
        for match in MARKER.finditer(text):
            unknown.append(match.group(0))
            pieces.append(escape(text[last : match.start()], quote=False))
            pieces.append(f'<mark class="marker-unknown">{escape(match.group(0), quote=False)}</mark>')
            last = match.end()
        pieces.append(escape(text[last:], quote=False))
        return "".join(pieces)

    flagged = _rewrite_text(references.number(html), flag)
    return mark_safe(flagged), references.entries, list(dict.fromkeys(unknown))  # sanitised; the tags are ours
