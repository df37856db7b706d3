from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from glutasite.page_tags import STUDY_LISTS, claim_tag, guide_tag, study_tag, tag_page

from .models import GRADE_RULE, Claim, ClaimStudy, Study, Topic

STUDIES_PER_PAGE = 25

SORTS = {
    "newest": ("Newest first", ["-year", "title"]),
    "oldest": ("Oldest first", ["year", "title"]),
    "title": ("Title A–Z", ["title", "-year"]),
    # Reviews have no participant count; they go last on every database.
    "participants": ("Most participants", [F("participants").desc(nulls_last=True), "-year"]),
}


class StudyFilterForm(forms.Form):
    q = forms.CharField(label="Search titles and authors", required=False, max_length=200)
    design = forms.ChoiceField(choices=[("", "Any design"), *Study.Design.choices], required=False)
    result = forms.ChoiceField(choices=[("", "Any result"), *Study.Result.choices], required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any topic",
    )
    year_from = forms.IntegerField(label="From year", required=False, min_value=1800, max_value=2100)
    year_to = forms.IntegerField(label="To year", required=False, min_value=1800, max_value=2100)
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year_from") and cleaned.get("year_to") and cleaned["year_from"] > cleaned["year_to"]:
            self.add_error("year_to", "The end year comes before the start year.")
        return cleaned

    def filter(self, studies):
        if not self.is_valid():
            return studies.none()
        data = self.cleaned_data
        if data["q"]:
            studies = studies.filter(Q(title__icontains=data["q"]) | Q(authors__icontains=data["q"]))
        if data["design"]:
            studies = studies.filter(design=data["design"])
        if data["result"]:
            studies = studies.filter(result=data["result"])
        if data["topic"]:
            studies = studies.filter(topics=data["topic"])
        if data["year_from"]:
            studies = studies.filter(year__gte=data["year_from"])
        if data["year_to"]:
            studies = studies.filter(year__lte=data["year_to"])
        return studies.order_by(*SORTS[data["sort"] or "newest"][1])


def study_list(request):
    tag_page(request, STUDY_LISTS)
    form = StudyFilterForm(request.GET)
    studies = form.filter(Study.objects.prefetch_related("topics"))
    page = Paginator(studies, STUDIES_PER_PAGE).get_page(request.GET.get("page"))
    # Page links carry the filters and nothing else the address had (a cached page is shared).
    query = request.GET.copy()
    for name in list(query):
        if name not in StudyFilterForm.base_fields:
            del query[name]
    return render(
        request,
        "evidence/study_list.html",
        # The filters fold away on a phone so studies come first, unless a reader is using them.
        {"form": form, "page": page, "query": query.urlencode(), "filters_applied": bool(query)},
    )


study_list.reads_query = {"page", *StudyFilterForm.base_fields}  # the page cache keys on these only


def study_detail(request, slug):
    study = get_object_or_404(
        Study.objects.prefetch_related(
            "topics",
            Prefetch(
                "claim_links",
                queryset=ClaimStudy.objects.select_related("claim")
                .prefetch_related(Prefetch("claim__claim_studies", queryset=ClaimStudy.objects.select_related("study")))
                .order_by("claim__statement"),
            ),
            # Reverse relation from the guides app: evidence never imports it.
            "citations__guide",
        ),
        slug=slug,
    )
    tag_page(
        request,
        study_tag(study.pk),
        *(claim_tag(link.claim_id) for link in study.claim_links.all()),
        *(guide_tag(citation.guide_id) for citation in study.citations.all()),
    )
    can_see_drafts = request.user.has_perm("guides.view_guide")
    guides = sorted(
        {citation.guide for citation in study.citations.all() if can_see_drafts or citation.guide.is_published},
        key=lambda guide: guide.title,
    )
    return render(request, "evidence/study_detail.html", {"study": study, "guides": guides})


def claim_detail(request, slug):
    claim = get_object_or_404(
        Claim.objects.prefetch_related(
            Prefetch("claim_studies", queryset=ClaimStudy.objects.select_related("study")),
        ),
        slug=slug,
    )
    tag_page(request, claim_tag(claim.pk), *(study_tag(link.study_id) for link in claim.claim_studies.all()))
    return render(request, "evidence/claim_detail.html", {"claim": claim, "grade_rule": GRADE_RULE})
