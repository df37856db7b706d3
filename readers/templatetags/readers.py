from django import template

from readers.newsletter import lead_magnet

register = template.Library()

NOT_LOOKED_UP = object()


@register.inclusion_tag("readers/_free_guide_box.html", takes_context=True)
def free_guide_box(context, heading_level=0):
    """The newsletter's free-guide offer as a box that links to the signup page.

    The form itself is never put into the page: pages with a form are not
    cached, and the box stands in guides that are. The free guide is looked up
    once a request however many boxes a page has.
    """
    request = context.get("request")
    found = getattr(request, "_free_guide", NOT_LOOKED_UP)
    if found is NOT_LOOKED_UP:
        found = lead_magnet()
        if request is not None:
            request._free_guide = found
    return {"free_guide": found, "heading_level": heading_level}
