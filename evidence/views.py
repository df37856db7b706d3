from django.shortcuts import get_object_or_404, render

from .models import Study


def study_detail(request, slug):
    study = get_object_or_404(Study, slug=slug)
    return render(request, "evidence/study_detail.html", {"study": study})
