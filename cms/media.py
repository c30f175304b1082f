"""The media files a development server hands out directly: images, never documents.

Editions (the book's EPUB and PDF files) are public too, and are handed out as
downloads under their readable name, as S3 serves them.

A document may belong to a private collection; Wagtail's /documents/ view
checks that before it serves the file. Served under /media/ too, the same file
would be anyone's for its URL, so only the folders of images (public by the
API's contract) are served there; in production nothing is served from media/
by the app (WhiteNoise serves the collected static files only).
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.utils.http import content_disposition_header
from django.views.static import serve

PUBLIC_FOLDERS = {"original_images", "images", "editions"}
DOWNLOADS = {"editions"}


def public_media(request, path):
    """A file of ``MEDIA_ROOT`` in a public folder, after the path is normalised; 404 otherwise."""
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalised.split("/", 1)[0] not in PUBLIC_FOLDERS:
        raise Http404(normalised)
    response = serve(request, normalised, document_root=settings.MEDIA_ROOT)
    if normalised.split("/", 1)[0] in DOWNLOADS:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=posixpath.basename(normalised)
        )
    return response
