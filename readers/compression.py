"""Reader pages are sent compressed (gzip), pages with a secret never.

A phone on a slow connection downloads the demo guide in a fifth of the bytes.
Compression lets an attacker who can put text into a page and watch its size
guess a secret on the same page (BREACH), so a response is compressed only
when it carries no CSRF token (it used none: every reader page but the forms)
and is not for a signed-in user. Static files are compressed by WhiteNoise.
"""

from django.middleware.gzip import GZipMiddleware


def may_compress(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return not signed_in and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


class ReaderPageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not may_compress(request):
            return response
        return super().process_response(request, response)
