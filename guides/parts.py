"""The registry of a guide's parts: the one list every behaviour derives from.

Each `Part` names a kind of block editors add to a guide (key benefits,
ranked products, sections, …). From this list come: the admin's inlines
(`guides.admin`), the permissions each role holds on parts (`guides.roles`),
the prefetches of the guide page (`guides.selectors`), the text of the page in
reading order (for numbering citations), copying parts into and out of a
pending change, and the snapshot a revision keeps, its diff and its restore
(`guides.revisions`). To add a block to guides, add its model and one `Part`.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from evidence.models import ClaimStudy, Study
from products.models import Offer

from .citations import cited_study_ids
from .formsets import CitationFormSet, KeyBenefitFormSet, RankedProductFormSet
from .models import FAQ, Citation, Complaint, KeyBenefit, RankedProduct, SafetyWarning, Section


@dataclass(frozen=True)
class Part:
    model: Any
    label: str  # what editors call one row, in the history
    names_row: str  # the field that names a row in the history, e.g. a section's heading
    admin_fields: tuple  # the inline's fields, in order
    page_order: int  # where its text sits on the page among the others and the guide's own text
    tabular: bool = False
    autocomplete: tuple = ()
    formset: Any = None
    admin_label: str = ""  # the inline's heading when the model's plural name is not what editors need
    page_queryset: Any = None  # () -> the queryset the guide page prefetches

    @property
    def related_name(self):
        return self.model._meta.get_field("guide").remote_field.related_name

    @property
    def html_fields(self):
        return list(getattr(self.model, "markdown_fields", {}).values())

    @property
    def stored_fields(self):
        """The fields a revision keeps of each row: all but its id and guide, HTML last."""
        names = [f.name for f in self.model._meta.concrete_fields if f.name not in {"id", "guide"}]
        return [n for n in names if n not in self.html_fields] + [n for n in names if n in self.html_fields]

    def page_prefetch(self):
        queryset = self.page_queryset() if self.page_queryset else self.model.objects.all()
        return Prefetch(self.related_name, queryset=queryset)


def _key_benefits_for_page():
    claim_studies = ClaimStudy.objects.select_related("study")
    return KeyBenefit.objects.select_related("claim").prefetch_related(
        Prefetch("claim__claim_studies", queryset=claim_studies),
    )


def ranked_products_for_page(*, ordered=True):
    """Ranked products with their brand and the offers readers see, annotated with freshness.

    `ordered=False` leaves out ORDER BY: Django then skips matching the ordering
    against every selected column, which costs more than the queries on a
    guide page whose text is kept (guides/prerendered.py); the caller sorts.
    """
    offers = Offer.objects.active().select_related("merchant").with_freshness()
    ranked = RankedProduct.objects.select_related("product__brand")
    if not ordered:
        offers, ranked = offers.order_by(), ranked.order_by()
    else:
        offers = offers.order_by("price", "pk")
    return ranked.prefetch_related(Prefetch("product__offers", queryset=offers, to_attr="active_offers"))


PARTS = (
    Part(
        KeyBenefit,
        "Key benefit",
        "title",
        ("order", "title", "claim", "text"),
        page_order=10,
        autocomplete=("claim",),
        formset=KeyBenefitFormSet,
        page_queryset=_key_benefits_for_page,
    ),
    Part(
        RankedProduct,
        "Ranked product",
        "product",
        ("rank", "product", "award", ("quality_score", "value_score", "clinical_score"), "verdict"),
        page_order=20,
        autocomplete=("product",),
        formset=RankedProductFormSet,
        page_queryset=ranked_products_for_page,
    ),
    Part(Section, "Section", "heading", ("order", "heading", "body", "free_guide_box_after"), page_order=30),
    Part(
        Complaint,
        "Complaint",
        "complaint",
        ("order", "complaint", "answer", ("review_count", "review_source", "review_year")),
        page_order=40,
    ),
    Part(SafetyWarning, "Safety warning", "severity", ("order", "severity", "applies_to", "text"), page_order=50),
    Part(FAQ, "FAQ", "question", ("order", "question", "answer"), page_order=70),
    Part(
        Citation,
        "Reference",
        "study",
        ("order", "study"),
        page_order=80,
        tabular=True,
        autocomplete=("study",),
        formset=CitationFormSet,
        admin_label="references (studies cited by a marker in the text are added on save)",
        page_queryset=lambda: Citation.objects.select_related("study"),
    ),
)

# The guide's own text among its parts' text, in the same page order.
GUIDE_TEXT = (("intro_html", 0), ("expert_take_html", 60))


def by_related_name(name):
    return next(part for part in PARTS if part.related_name == name)


def text_in_page_order(guide):
    """(object, HTML field) for every piece of the guide's text, in the order the page shows them."""
    pieces = [(order, [(guide, html_field)]) for html_field, order in GUIDE_TEXT]
    for part in PARTS:
        if part.html_fields:
            rows = getattr(guide, part.related_name).all()
            pieces.append((part.page_order, [(row, html) for row in rows for html in part.html_fields]))
    for _, texts in sorted(pieces, key=lambda piece: piece[0]):
        yield from texts


def copy_parts(source, target):
    """Make `target`'s parts copies of `source`'s (both saved guides), HTML as it was, not re-rendered."""
    for part in PARTS:
        getattr(target, part.related_name).all().delete()
        rows = list(getattr(source, part.related_name).all())
        for row in rows:
            row.pk = None
            row.guide = target
        part.model.objects.bulk_create(rows)


def add_cited_studies(guide):
    """Make sure every study the guide's stored text cites is in its references."""
    ids = {pk for piece, html_field in text_in_page_order(guide) for pk in cited_study_ids(getattr(piece, html_field))}
    existing = Study.objects.filter(pk__in=ids).values_list("pk", flat=True)
    Citation.objects.bulk_create([Citation(guide=guide, study_id=pk) for pk in existing], ignore_conflicts=True)
