"""Uploaded photos kept on this server's disk, served by Django when no object store is configured.

With MEDIA_S3_BUCKET set, photos live in the bucket and its own web address
serves them; this view is not wired. Without it, photos are files under
MEDIA_ROOT, also with DEBUG off, which WhiteNoise does not serve. Only image
files are served, by name, from that folder and nowhere else; a proxy may
serve the folder itself instead (README, "Behind a TLS-terminating proxy").
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
# Names never change once written (a new photo gets a new name), so browsers and CDNs may keep them.
CACHE_SECONDS = 60 * 60 * 24 * 30


@require_safe
def serve_media(request, path):
    if PurePosixPath(path).suffix.lower() not in IMAGE_SUFFIXES:
        raise Http404("Only photos are served here.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)  # refuses paths outside the folder
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
