"""What one language's edition of a book holds, read from the book in a bounded number of queries.

``collect(book_page)`` gathers everything an edition shows before any file is
written: the colophon, the parts and chapters in order (only live, public
pages of that language), the biographies of the contributors they credit,
the chapters of the source not yet published in that language, the images
(their files read once each, a vanished file becoming a warning) and where
each internal link of the rich text leads. The formats (``editions.epub``,
``editions.html``) only lay it out.
"""

import io
import mimetypes
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language_bidi, override
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from book import provenance, selectors
from book.links import public_url
from book.models import (
    BookPage,
    ChapterContributor,
    ChapterPage,
    ContributorPage,
    ContributorRole,
    PartPage,
    TranslationCoverage,
)

from .rich_text import FIND_LINK

# The image formats every EPUB reading system shows; others are converted to PNG.
CORE_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# Images wider or taller than this are scaled down: a reading device gains nothing from more.
MAX_IMAGE_SIDE = 1600
# Identifies an edition without ISBN or DOI: the same book and language always get the same one.
EDITION_NAMESPACE = uuid.UUID("0b7f4a52-7d0e-4f5e-9f3c-2a1d6c8e4b17")


def interface_language(code):
    """The language of the edition's own words (headings, labels): ``code`` where a catalog of the
    project or of the editions has it, else English, the language the strings are written in. Django
    would otherwise fall back to the source language's catalog, and a language without a catalog
    would get French headings."""
    from pathlib import Path

    from django.utils.translation import to_locale

    if code.split("-")[0] == "en":
        return code
    folders = [*settings.LOCALE_PATHS, settings.EDITIONS_LOCALE_PATH]
    if any((Path(path) / to_locale(code) / "LC_MESSAGES" / "django.mo").exists() for path in folders):
        return code
    return "en"


def language_direction(code):
    with override(code):
        return "rtl" if get_language_bidi() else "ltr"


@dataclass
class EditionImage:
    """An image file of the edition; ``data`` is None when its file has vanished from storage."""

    id: int
    name: str
    media_type: str
    data: bytes | None
    width: int
    height: int
    title: str


@dataclass
class Block:
    type: str
    id: str
    value: dict
    lang: str = ""


@dataclass
class Note:
    number: int
    text: str
    lang: str = ""


@dataclass
class Credit:
    name: str
    role: str
    role_label: str
    contributor_key: uuid.UUID | None


@dataclass
class Chapter:
    page: ChapterPage
    number: int
    anchor: str
    file: str
    title: str
    subtitle: str
    summary: str
    credits: list
    blocks: list
    notes: list
    untranslated_fields: set
    source_language: str = ""


@dataclass
class Part:
    page: PartPage
    number: int
    anchor: str
    file: str
    title: str
    subtitle: str
    introduction: str
    chapters: list
    lang: str = ""


@dataclass
class Biography:
    page: ContributorPage
    anchor: str
    name: str
    professions: str
    biography: str
    portrait: EditionImage | None
    portrait_credit: str


@dataclass
class LinkTarget:
    """Where an internal link leads: a place inside the edition (``file``, ``anchor``) or a public URL."""

    file: str = ""
    anchor: str = ""
    url: str = ""


@dataclass
class EditionContent:
    book: BookPage
    language: str
    direction: str
    source_language: str
    identifier: str
    title: str
    subtitle: str
    summary: str
    cover: EditionImage | None
    cover_credit: str
    publisher: str
    editorial_direction: str
    supporters: list
    licence: str
    isbn: str
    doi: str
    publication_date: object
    modified: object
    translators: list
    parts: list
    biographies: list
    missing: list
    images: dict
    links: dict
    documents: dict
    warnings: list = field(default_factory=list)

    @property
    def complete(self):
        return not self.missing

    @property
    def chapters(self):
        return [chapter for part in self.parts for chapter in part.chapters]


def chapter_anchor(number):
    return f"chapter-{number}"


def collect(book_page):
    """Everything the edition of ``book_page`` (one language of the book) shows."""
    return Collector(book_page).collect()


class Collector:
    def __init__(self, book_page):
        self.book = book_page.specific if type(book_page) is Page else book_page
        self.locale = Locale.objects.get(pk=self.book.locale_id)
        self.language = self.locale.language_code
        self.source_language = settings.BOOK_SOURCE_LANGUAGE
        self.warnings = []
        self.page_ids = set()
        self.document_ids = set()
        self.image_ids = set()

    def collect(self):
        private_q = self._private_q()
        parts = selectors.public(PartPage.objects.child_of(self.book), private_q).order_by("path")
        chapters = list(
            selectors.public(ChapterPage.objects.descendant_of(self.book), private_q).order_by("path")
        )
        parts = list(parts)
        by_part = {}
        for chapter in chapters:
            by_part.setdefault(chapter.path[: -ChapterPage.steplen], []).append(chapter)
        # An alias stands in the language's tree for a page not translated yet: it holds the source's text.
        included = [
            chapter for part in parts for chapter in by_part.get(part.path, []) if chapter.alias_of_id is None
        ]
        by_part = {
            path: [chapter for chapter in pages if chapter.alias_of_id is None]
            for path, pages in by_part.items()
        }
        coverage = self._coverage(included)
        credits, contributors = self._credits(included, private_q)

        number = 0
        edition_parts = []
        for part_number, part in enumerate(parts, start=1):
            edition_chapters = []
            for page in by_part.get(part.path, []):
                number += 1
                edition_chapters.append(self._chapter(page, number, credits, coverage))
            self._gather_rich_text(part.introduction)
            edition_parts.append(
                Part(
                    page=part,
                    number=part_number,
                    anchor=f"part-{part_number}",
                    file=f"part-{part_number:02d}.xhtml",
                    title=part.title,
                    subtitle=part.subtitle,
                    introduction=part.introduction or "",
                    chapters=edition_chapters,
                    lang=self.source_language if part.alias_of_id else "",
                )
            )

        biographies = []
        for contributor in sorted(contributors.values(), key=lambda page: (page.sort_name.lower(), page.pk)):
            self._gather_rich_text(contributor.biography)
            if contributor.portrait_id:
                self.image_ids.add(contributor.portrait_id)
            biographies.append(contributor)
        if self.book.cover_image_id:
            self.image_ids.add(self.book.cover_image_id)

        images = self._images()
        biographies = [
            Biography(
                page=page,
                anchor=f"contributor-{position}",
                name=page.title,
                professions=page.professions,
                biography=page.biography or "",
                portrait=images.get(page.portrait_id),
                portrait_credit=page.portrait_credit,
            )
            for position, page in enumerate(biographies, start=1)
        ]
        included_keys = {chapter.translation_key for chapter in included}
        content = EditionContent(
            book=self.book,
            language=self.language,
            direction=language_direction(self.language),
            source_language=self.source_language,
            identifier=self._identifier(),
            title=self.book.title,
            subtitle=self.book.subtitle,
            summary=self.book.summary,
            cover=images.get(self.book.cover_image_id),
            cover_credit=self.book.cover_credit,
            publisher=getattr(settings, "BOOK_PUBLISHER", "") or self.book.editorial_direction,
            editorial_direction=self.book.editorial_direction,
            supporters=[
                {"name": item.value["name"], "url": public_url(item.value.get("url") or "") or ""}
                for item in self.book.supporters
                if item.block_type == "supporter"
            ],
            licence=self.book.licence,
            isbn=self.book.isbn,
            doi=self.book.doi,
            publication_date=self.book.publication_date,
            modified=self._modified(parts, included, biographies_pages(biographies)),
            translators=self._translators([self.book, *parts, *included, *biographies_pages(biographies)]),
            parts=edition_parts,
            biographies=biographies,
            missing=self._missing(included_keys, private_q),
            images=images,
            links={},
            documents={},
            warnings=self.warnings,
        )
        content.links = self._link_targets(content, private_q)
        content.documents = self._documents()
        return content

    def _private_q(self):
        """The pages under a view restriction (one query), as ``Reader.private_q`` of the API."""
        q = Q()
        for path, depth in PageViewRestriction.objects.values_list("page__path", "page__depth"):
            q |= Q(path__startswith=path, depth__gte=depth)
        return q if q else Q(pk__in=[])

    def _coverage(self, chapters):
        """``{chapter id: TranslationCoverage}`` of the chapters published with text still untranslated."""
        if self.language == self.source_language:
            return {}
        revisions = {chapter.live_revision_id: chapter.pk for chapter in chapters if chapter.live_revision_id}
        if not revisions:
            return {}
        return {
            revisions[coverage.revision_id]: coverage
            for coverage in TranslationCoverage.objects.filter(
                revision_id__in=revisions, total_segments__gt=0
            )
            if not coverage.complete
        }

    def _credits(self, chapters, private_q):
        """Each chapter's credits, and the contributors' pages in this language by translation key."""
        links = list(
            ChapterContributor.objects.filter(chapter__in=[chapter.pk for chapter in chapters])
            .select_related("contributor")
            .order_by("chapter_id", "sort_order", "pk")
        )
        keys = {link.contributor.translation_key for link in links}
        contributors = {
            page.translation_key: page
            for page in selectors.public(
                ContributorPage.objects.filter(locale=self.locale), private_q
            ).filter(translation_key__in=keys, alias_of__isnull=True)
        }
        roles = dict(ContributorRole.choices)
        credits = {}
        for link in links:
            own = contributors.get(link.contributor.translation_key)
            credits.setdefault(link.chapter_id, []).append(
                Credit(
                    name=(own or link.contributor).title,
                    role=link.role,
                    role_label=roles.get(link.role, link.role),
                    contributor_key=link.contributor.translation_key if own else None,
                )
            )
        return credits, contributors

    def _chapter(self, page, number, credits, coverage):
        recorded = coverage.get(page.pk)
        untranslated_blocks = set()
        untranslated_fields = set()
        source_language = ""
        if recorded is not None:
            source_language = recorded.source_language
            for path in recorded.untranslated:
                name, _sep, rest = path.partition(".")
                if name == "body" and rest:
                    untranslated_blocks.add(rest.partition(".")[0])
                else:
                    untranslated_fields.add(name)
        blocks = []
        notes = []
        for raw in page.body.raw_data:
            kind, value, block_id = raw.get("type"), raw.get("value"), raw.get("id") or ""
            lang = source_language if block_id in untranslated_blocks else ""
            if kind == "note":
                value = value or {}
                try:
                    note_number = int(value.get("number"))
                except (TypeError, ValueError):
                    continue
                self._gather_rich_text(value.get("text"))
                notes.append(Note(number=note_number, text=value.get("text") or "", lang=lang))
                continue
            if kind == "paragraph":
                self._gather_rich_text(value)
                value = {"text": value or ""}
            elif kind == "interview":
                self._gather_rich_text((value or {}).get("answer"))
            elif kind == "image" and (value or {}).get("image"):
                self.image_ids.add(value["image"])
            blocks.append(Block(type=kind, id=block_id, value=dict(value or {}), lang=lang))
        return Chapter(
            page=page,
            number=number,
            anchor=chapter_anchor(number),
            file=f"chapter-{number:03d}.xhtml",
            title=page.title,
            subtitle=page.subtitle,
            summary=page.summary,
            credits=credits.get(page.pk, []),
            blocks=blocks,
            notes=sorted(notes, key=lambda note: note.number),
            untranslated_fields=untranslated_fields,
            source_language=source_language,
        )

    def _gather_rich_text(self, html):
        if not html:
            return
        for match in FIND_LINK.finditer(html):
            attrs = extract_attrs(match.group(1))
            if attrs.get("id", "").isdigit():
                if attrs.get("linktype") == "page":
                    self.page_ids.add(int(attrs["id"]))
                elif attrs.get("linktype") == "document":
                    self.document_ids.add(int(attrs["id"]))
        for match in FIND_EMBED_TAG.finditer(html):
            attrs = extract_attrs(match.group(1))
            if attrs.get("embedtype") == "image" and attrs.get("id", "").isdigit():
                self.image_ids.add(int(attrs["id"]))

    def _images(self):
        """The edition's images by id, each file read once; a vanished file is a warning, not a failure."""
        found = {}
        ids = {int(image_id) for image_id in self.image_ids if str(image_id).isdigit()}
        for image in get_image_model().objects.filter(pk__in=ids).order_by("pk"):
            found[image.pk] = self._read_image(image)
        for missing in sorted(ids - set(found)):
            self.warnings.append(f"Image {missing} no longer exists; a description stands in its place.")
            found[missing] = EditionImage(missing, "", "", None, 0, 0, "")
        return found

    def _read_image(self, image):
        name = image.file.name
        try:
            storage = image.file.storage
            if not storage.exists(name):
                raise FileNotFoundError(name)
            with storage.open(name, "rb") as handle:
                data = handle.read()
        except OSError:
            self.warnings.append(
                f"The file of image “{image.title}” ({name}) is missing from storage; "
                "a description stands in its place."
            )
            return EditionImage(image.pk, "", "", None, image.width, image.height, image.title)
        media_type = mimetypes.guess_type(name)[0] or ""
        width, height = image.width, image.height
        if media_type not in CORE_IMAGE_TYPES or max(width, height) > MAX_IMAGE_SIDE:
            data, media_type, width, height = self._convert(data, media_type)
        extension = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}[
            media_type
        ]
        return EditionImage(
            image.pk, f"images/image-{image.pk}.{extension}", media_type, data, width, height, image.title
        )

    @staticmethod
    def _convert(data, media_type):
        """The image scaled to at most MAX_IMAGE_SIDE, in a format every reading system shows."""
        from PIL import Image

        with Image.open(io.BytesIO(data)) as picture:
            picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            output = io.BytesIO()
            if media_type == "image/jpeg" and picture.mode in {"RGB", "L"}:
                picture.save(output, format="JPEG", quality=85)
                converted = "image/jpeg"
            else:
                picture.save(output, format="PNG", optimize=True)
                converted = "image/png"
            return output.getvalue(), converted, picture.width, picture.height

    def _identifier(self):
        if self.book.isbn:
            return f"urn:isbn:{self.book.isbn.replace('-', '').replace(' ', '')}"
        if self.book.doi:
            return f"urn:doi:{self.book.doi}"
        return f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, f'{self.book.translation_key}:{self.language}')}"

    def _modified(self, parts, chapters, biographies):
        """When the edition's content last changed: the latest publication of a page it shows."""
        dates = [
            page.last_published_at
            for page in [self.book, *parts, *chapters, *biographies]
            if page.last_published_at is not None
        ]
        return max(dates) if dates else None

    def _translators(self, pages):
        """Who translated the pages of this edition, credited as the API credits each of them.

        ``book.provenance`` names them for the published version of each page
        (the people who wrote its segments, or those an editor credited); an
        edition in the source language has none.
        """
        if self.language == self.source_language:
            return []
        return provenance.all_translators(pages)

    def _missing(self, included_keys, private_q):
        """The source's public chapters not published in this language, in the source's order."""
        if self.locale.language_code == self.source_language:
            return []
        source = (
            BookPage.objects.filter(
                translation_key=self.book.translation_key, locale__language_code=self.source_language
            )
            .only("pk", "path", "depth")
            .first()
        )
        if source is None:
            return []
        return [
            title
            for key, title in selectors.public(ChapterPage.objects.descendant_of(source), private_q)
            .order_by("path")
            .values_list("translation_key", "title")
            if key not in included_keys
        ]

    def _link_targets(self, content, private_q):
        """``{page id: LinkTarget}`` for every page the edition's rich text links to and a reader may see."""
        if not self.page_ids:
            return {}
        linked = dict(
            Page.objects.filter(pk__in=self.page_ids).order_by().values_list("pk", "translation_key")
        )
        inside = {content.book.translation_key: LinkTarget(file="title.xhtml", anchor="title")}
        for part in content.parts:
            inside[part.page.translation_key] = LinkTarget(file=part.file, anchor=part.anchor)
            for chapter in part.chapters:
                inside[chapter.page.translation_key] = LinkTarget(file=chapter.file, anchor=chapter.anchor)
        for biography in content.biographies:
            inside[biography.page.translation_key] = LinkTarget(
                file="contributors.xhtml", anchor=biography.anchor
            )
        outside_keys = {key for key in linked.values() if key not in inside}
        outside = {}
        if outside_keys:
            for page in (
                selectors.public(Page.objects.filter(locale=self.locale), private_q)
                .filter(translation_key__in=outside_keys)
                .order_by("pk")
            ):
                url = public_url(page.get_full_url() or "")
                if url:
                    outside[page.translation_key] = LinkTarget(url=url)
        targets = {}
        for page_id, key in linked.items():
            target = inside.get(key) or outside.get(key)
            if target is not None:
                targets[page_id] = target
        return targets

    def _documents(self):
        """``{document id: public URL}`` of the documents linked to, outside private collections."""
        if not self.document_ids:
            return {}
        restricted = [
            restriction.collection.path
            for restriction in CollectionViewRestriction.objects.select_related("collection")
        ]
        found = {}
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for document in (
            get_document_model().objects.filter(pk__in=self.document_ids).select_related("collection")
        ):
            if any(document.collection.path.startswith(path) for path in restricted):
                continue
            url = public_url(base + document.url)
            if url:
                found[document.pk] = url
        return found


def biographies_pages(biographies):
    return [biography.page for biography in biographies]
