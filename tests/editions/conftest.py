import dataclasses
import io
import zipfile
from xml.etree import ElementTree

import pytest
from wagtail.models import Locale

from book.models import BookPage, ChapterPage, PartPage, TranslationCoverage
from editions.formats import FORMATS
from tests.api.conftest import book, english  # noqa: F401  (fixtures)
from tests.storage.conftest import s3_endpoint, s3_media  # noqa: F401  (fixtures)

from . import builders

ARABIC_TITLE = "الذكاء الاصطناعي والإبداع"
ARABIC_SENTENCE = "هذا نص تجريبي باللغة العربية عن الممارسات الإبداعية والذكاء الاصطناعي."

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPF_NS = "http://www.idpf.org/2007/opf"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Epub:
    """An EPUB's files, parsed as a reader would open them."""

    def __init__(self, data):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))

    def names(self):
        return self.zip.namelist()

    def text(self, name):
        return self.zip.read(name).decode("utf-8")

    def xml(self, name):
        return ElementTree.fromstring(self.zip.read(name))

    @property
    def package(self):
        return self.xml("OEBPS/package.opf")

    def documents(self):
        return [name for name in self.names() if name.endswith(".xhtml")]

    def chapters(self):
        return sorted(name for name in self.names() if "/chapter-" in name)


@pytest.fixture
def english_book(demo_book):
    return BookPage.objects.get(locale__language_code="en")


def translate_into_arabic(source_book, chapters=2):
    """An Arabic edition of the first ``chapters`` chapters, published; only their paragraphs are in Arabic.

    The translation tools record the other blocks as untranslated (as they do for a
    partly translated page published anyway), so the edition must mark them.
    """
    arabic = Locale.objects.get(language_code="ar")
    sources = list(ChapterPage.objects.descendant_of(source_book).live().order_by("path")[:chapters])
    parts = PartPage.objects.filter(path__in={source.path[: -ChapterPage.steplen] for source in sources})
    for source in [source_book, *parts.order_by("path"), *sources]:
        arabic_version(source, arabic)
    arabic_book = BookPage.objects.get(locale=arabic, translation_key=source_book.translation_key)
    arabic_book.title = ARABIC_TITLE
    arabic_book.subtitle = "رهانات وممارسات"
    arabic_book.summary = ARABIC_SENTENCE
    arabic_book.save_revision().publish()
    for part in PartPage.objects.child_of(arabic_book).filter(
        translation_key__in=parts.values("translation_key")
    ):
        part.title = f"الجزء {part.pk}"
        part.save_revision().publish()
    for number, chapter in enumerate(
        ChapterPage.objects.descendant_of(arabic_book).order_by("path"), start=1
    ):
        chapter.title = f"الفصل {number}"
        chapter.subtitle = "نص تجريبي"
        chapter.summary = ARABIC_SENTENCE
        french = []
        blocks = []
        for block in chapter.body.raw_data:
            block = dict(block)
            if block["type"] == "paragraph":
                markers = "".join(f"[^{n}]" for n in footnote_numbers(block["value"]))
                block["value"] = f"<p>{ARABIC_SENTENCE}{markers}</p>"
            else:
                french.append(block["id"])
            blocks.append(block)
        chapter.body = blocks
        revision = chapter.save_revision()
        TranslationCoverage.objects.create(
            revision=revision,
            source_language="fr",
            total_segments=10,
            translated_segments=10 - len(french),
            untranslated=[f"body.{block_id}" for block_id in french],
        )
        revision.publish()
    return BookPage.objects.get(pk=arabic_book.pk)


def arabic_version(source, arabic):
    """The Arabic page of ``source``: made if missing, and made a page of its own if it was an alias."""
    page = type(source).objects.filter(locale=arabic, translation_key=source.translation_key).first()
    if page is None:
        return source.copy_for_translation(arabic)
    if page.alias_of_id:
        page.alias_of_id = None
        page.save(update_fields=["alias_of_id"])
    return page


def footnote_numbers(html):
    from book.text import footnote_references

    return footnote_references(html)


@pytest.fixture
def arabic_book(demo_book):
    return translate_into_arabic(demo_book)


def use_builder(monkeypatch, format_name, builder):
    """Point a format of the registry at another builder for this test."""
    monkeypatch.setitem(
        FORMATS,
        format_name,
        dataclasses.replace(FORMATS[format_name], builder=f"{builders.__name__}.{builder}"),
    )


@pytest.fixture
def small_builders(monkeypatch):
    builders.CALLS.clear()
    use_builder(monkeypatch, "epub", "small_epub")
    use_builder(monkeypatch, "pdf", "small_pdf")
    return builders.CALLS
