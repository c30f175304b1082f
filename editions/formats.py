"""The formats an edition is built in, and what their builders return."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Built:
    """A built edition: the file's bytes, whether every chapter is in it, and what went wrong on the way."""

    data: bytes
    complete: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Printable:
    """One HTML document of a whole edition, for print, and how its images are fetched."""

    html: str
    url_fetcher: Callable
    complete: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Format:
    """A kind of file an edition is built as; ``builder`` is the dotted path of ``builder(book_page) -> Built``."""

    name: str
    media_type: str
    extension: str
    builder: str

    def build(self, book_page) -> Built:
        # Imported when first used: a format's dependencies load only where it is built.
        return import_string(self.builder)(book_page)


FORMATS = {
    "epub": Format(
        name="epub", media_type="application/epub+zip", extension="epub", builder="editions.epub.build_epub"
    ),
    "pdf": Format(
        name="pdf", media_type="application/pdf", extension="pdf", builder="editions.pdf.build_pdf"
    ),
}
