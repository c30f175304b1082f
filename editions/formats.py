"""The formats an edition is built in, and what a build gives back."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Built:
    """The bytes of one built edition, whether it holds every chapter, and what went wrong on the way."""

    data: bytes
    complete: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Printable:
    """One HTML document of a whole edition, for print; ``url_fetcher`` serves its images."""

    html: str
    url_fetcher: Callable
    complete: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    builder: str

    def build(self, book_page) -> Built:
        """Build the edition of ``book_page`` in this format (the builder is imported only now)."""
        return import_string(self.builder)(book_page)


FORMATS = {
    "epub": Format(
        name="epub",
        media_type="application/epub+zip",
        extension="epub",
        builder="editions.epub.build_epub",
    ),
    "pdf": Format(
        name="pdf",
        media_type="application/pdf",
        extension="pdf",
        builder="editions.pdf.build_pdf",
    ),
}
