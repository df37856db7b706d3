from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

FAVICON_CACHE_SECONDS = 60 * 60 * 24


@require_safe
def favicon(request):
    """Browsers, feed readers and crawlers ask for /favicon.ico whatever a page links; send them to ours.

    Not a permanent redirect: the static file's name changes whenever the icon does.
    """
    response = redirect(static("img/favicon.ico"))
    response["Cache-Control"] = f"public, max-age={FAVICON_CACHE_SECONDS}"
    return response
