from .assignment import Assignment
from .base import CitingMarkdownModel, GuidePart
from .guide import Guide, GuideQuerySet, best_claim_grade, cited_studies
from .parts import FAQ, Citation, Complaint, KeyBenefit, RankedProduct, SafetyWarning, Section
from .people import Category, Reviewer
from .revision import GuideRevision
from .site import SiteSettings

__all__ = [
    "Assignment",
    "FAQ",
    "Category",
    "Citation",
    "CitingMarkdownModel",
    "Complaint",
    "Guide",
    "GuidePart",
    "GuideQuerySet",
    "GuideRevision",
    "KeyBenefit",
    "RankedProduct",
    "Reviewer",
    "SafetyWarning",
    "Section",
    "SiteSettings",
    "best_claim_grade",
    "cited_studies",
]
