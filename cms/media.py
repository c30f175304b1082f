"""The media files a development server hands out directly: images, never documents.

A document may belong to a private collection; Wagtail's /documents/ view
checks that before it serves the file. Served under /media/ too, the same file
would be anyone's for its URL, so only the folders of images (public by the
API's contract) are served there; in production nothing is served from media/
by the app (WhiteNoise serves the collected static files only).
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PUBLIC_FOLDERS = {"original_images", "images"}


def public_media(request, path):
    """A file of ``MEDIA_ROOT`` in a public folder, after the path is normalised; 404 otherwise."""
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalised.split("/", 1)[0] not in PUBLIC_FOLDERS:
        raise Http404(normalised)
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)
