"""The printable edition: one HTML document of a whole language edition, which the PDF is rendered from.

The same content and markup as the EPUB (``editions.render``), in one
document: the table of contents links to ``#chapter-N``, each note follows the
paragraph that first calls it (``<aside class="footnote">``, for a print
stylesheet to float to the foot of the page), and images are
``edition-image:<id>`` addresses that only the returned ``url_fetcher``
resolves, from the bytes read through Django's storage; it fetches nothing else.
"""

import mimetypes

from django.template.loader import render_to_string
from django.utils.translation import override

from .content import collect, interface_language
from .formats import Printable
from .render import Layout

IMAGE_SCHEME = "edition-image:"


def edition_html(book_page):
    """The printable document of ``book_page``'s language edition, as ``Printable``."""
    content = collect(book_page)
    with override(interface_language(content.language)):
        html = render_edition(content)
    return Printable(
        html=html,
        url_fetcher=ImageFetcher(content.images),
        complete=content.complete,
        warnings=tuple(content.warnings),
    )


def render_edition(content):
    layout = Layout(content, epub=False)
    # Laid out in the order the document reads: the book's pages, then its parts.
    context = layout.document_context(contributors_href="#contributors")
    parts = []
    for part in content.parts:
        rendered = layout.part(part)
        rendered["chapter_layouts"] = [layout.chapter(chapter) for chapter in part.chapters]
        parts.append(rendered)
    return render_to_string(
        "editions/print/edition.html",
        {
            **context,
            "parts": parts,
            "css": render_to_string("editions/edition.css"),
        },
    )


class ImageFetcher:
    """Serves the edition's ``edition-image:<id>`` addresses (WeasyPrint's url_fetcher protocol), nothing else."""

    def __init__(self, images):
        self.images = {image.id: image for image in images.values() if image.data is not None}

    def __call__(self, url, *args, **kwargs):
        if url.startswith(IMAGE_SCHEME):
            identifier = url[len(IMAGE_SCHEME) :]
            image = self.images.get(int(identifier)) if identifier.isdigit() else None
            if image is not None:
                return {
                    "string": image.data,
                    "mime_type": image.media_type or mimetypes.guess_type(image.name)[0],
                    "redirected_url": url,
                }
        raise ValueError(f"An edition fetches only its own images, not {url!r}.")
