"""Everything a page of results needs, loaded in a fixed number of queries before serialization.

Each ``prepare_*`` function takes the items of one response (a list page or a
single detail), runs one query per related kind for all of them together, and
returns, in the items' order, one ``Prepared*`` object per item: the item and
what was loaded for it, which the kind's serializers serialize. Related items
are resolved to the language served through their translation key, falling
back along the request's chain, and left out when they have no public version
there.
"""

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q
from rest_framework.fields import DateTimeField
from wagtail.models import Page

from book import citations, provenance, selectors
from book import kinds as book_kinds
from book.links import public_url_or_empty
from book.models import (
    BookPage,
    ChapterPage,
    City,
    ContributorPage,
    PartPage,
    Sector,
    ThemePage,
)

from . import body, dependencies, parts
from .embeds import EmbedBatch
from .images import Image, ImageBatch
from .rich_text import RichTextBatch

# What ``reference`` reads of a page or a snippet.
PAGE_REFERENCE = ("translation_key", "locale_id", "slug", "title")
SNIPPET_REFERENCE = ("translation_key", "locale_id", "slug", "name")


def published(model, private_q=None):
    """``selectors.published``, unordered: what is read here is keyed or sorted afterwards, and a
    default ordering (the tree's, for pages) would only cost building the query and sorting."""
    return selectors.published(model, private_q).order_by()


def title_of(item):
    return getattr(item, "title", None) or getattr(item, "name", "")


def reference(reader, item, kind, shape=parts.Reference, locale=None, **extra):
    """The short form of an item that other items point at: a ``shape`` (a ``Reference`` or an
    extension of it, whose other fields are ``extra``). ``locale``: the code of the language it
    is shown in, when not its own (a page that mirrors another language's)."""
    return shape(
        id=item.pk,
        key=item.translation_key,
        locale=locale or reader.code(item.locale_id),
        slug=item.slug,
        title=title_of(item),
        url=reader.item_url(kind, item.translation_key, item.locale_id),
        **extra,
    )


def chapter_reference(reader, chapter, shape=parts.ChapterReference, **extra):
    return reference(
        reader,
        chapter,
        "chapter",
        shape,
        subtitle=chapter.subtitle,
        word_count=chapter.word_count,
        reading_time=chapter.reading_time,
        **extra,
    )


@dataclass
class PreparedItem:
    """An item as a response shows it: the item itself, and what was loaded for it with its batch."""

    item: object
    # The code of the item's language, and whether it is not the one requested.
    locale: str
    fallback: bool
    url: str
    # The other published languages (``parts.Translation``).
    translations: list = field(default_factory=list)
    # How complete its translation is.
    translation: parts.TranslationState = None
    # The ids of the body blocks whose text is still in the source language (not shown as such).
    untranslated_blocks: set = field(default_factory=set)


@dataclass
class PreparedBook(PreparedItem):
    cover: Image = None
    supporters: list = None
    toc: list = None
    editions: list = None


@dataclass
class PreparedChapter(PreparedItem):
    part: parts.PartReference = None
    contributors: list = None
    themes: list = None
    sectors: list = None
    city: parts.Reference = None
    # CSL-JSON, the standard form ``book.citations`` builds.
    citation: dict = None
    body: list = None


@dataclass
class PreparedContributor(PreparedItem):
    professions: list = None
    city: parts.Reference = None
    portrait: Image = None
    biography: str = None
    links: list = None
    chapters: list = None


@dataclass
class PreparedTheme(PreparedItem):
    description: str = None
    chapters: list = None


@dataclass
class PreparedPart(PreparedItem):
    chapters: list = None


@dataclass
class PreparedLocale:
    """A language of the book, and how much of the book is published in it."""

    locale: object
    published: bool
    counts: dict
    progress: float


class Batches:
    """The images and rich text of one response, resolved together."""

    def __init__(self, reader, locale_id):
        self.images = ImageBatch(reader)
        self.rich_text = RichTextBatch(reader, self.images, locale_id)
        self.embeds = EmbedBatch()


def decorate(reader, items, kind, model, locale_id, prepared=PreparedItem):
    """The ``prepared`` of each item, in order, with its locale code, API URL, the other published
    languages (one query) and the state of its translation (``translation_states``)."""
    others = selectors.other_versions(
        published(model, reader.private_q), [item.translation_key for item in items], locale_id
    )
    result = []
    live_revisions = {}
    for item in items:
        key = item.translation_key
        result.append(
            prepared(
                item=item,
                locale=reader.code(item.locale_id),
                fallback=item.locale_id != reader.locale.pk,
                url=reader.item_url(kind, key, item.locale_id),
                translations=[
                    parts.Translation(locale=reader.code(other), url=reader.item_url(kind, key, other))
                    for other, _revision in others.get(key, [])
                ],
            )
        )
        live_revisions[item.pk] = {reader.code(other): revision for other, revision in others.get(key, [])}
    translation_states(reader, result, live_revisions)
    return result


# Where wagtail-localize keeps text the API does not show.
HIDDEN_FIELDS = {"seo_title", "search_description", "slug"}


def translation_states(reader, prepared, live_revisions):
    """Say of each item how complete its translation is as published, and where its words come from.

    One query for the records of the translated items' live revisions (see
    ``book.models.TranslationCoverage``) and one for the credits editors gave,
    none for a page of items in the source language. An item in the source
    language, or written by hand in its language, is complete.
    ``untranslated_blocks`` holds the ids of the body blocks whose text is
    still in the source language. Whether the source changed since the
    translation was published is read from the source's live revision, which
    ``decorate`` found with the other languages (``live_revisions``, by item id).
    """
    source = settings.BOOK_SOURCE_LANGUAGE
    translated = [
        shown.item
        for shown in prepared
        if shown.locale != source and getattr(shown.item, "live_revision_id", None)
    ]
    recorded = provenance.coverages(item.live_revision_id for item in translated)
    named = provenance.credits(translated)
    for shown in prepared:
        item = shown.item
        coverage = recorded.get(getattr(item, "live_revision_id", None))
        credit = named.get((item.translation_key, item.locale_id))
        state = parts.TranslationState(
            complete=True,
            progress=1.0,
            source_locale=None,
            untranslated=[],
            original_locale=provenance.original_locale(item),
            translators=provenance.credited_translators(coverage, credit),
            reviewed_by=None,
            reviewed_at=None,
            machine_assisted=False,
            outdated=False,
            source_revision=None,
        )
        shown.translation = state
        if coverage is None:
            continue
        source_live = live_revisions.get(item.pk, {}).get(coverage.source_language)
        state.reviewed_by = coverage.reviewed_by or None
        state.reviewed_at = coverage.reviewed_at
        state.machine_assisted = coverage.machine_segments > 0
        # A source that had no revision when it was translated (a snippet made without one) and has a
        # live one now was published since.
        state.outdated = bool(source_live) and source_live != coverage.source_revision_id
        state.source_revision = coverage.source_revision_id
        if coverage.complete:
            continue
        fields = set()
        for path in coverage.untranslated:
            name, _sep, rest = path.partition(".")
            if name == "body" and rest:
                shown.untranslated_blocks.add(rest.partition(".")[0])
            if name not in HIDDEN_FIELDS:
                fields.add(name)
        state.complete = False
        state.progress = coverage.progress
        state.source_locale = coverage.source_language
        state.untranslated = sorted(fields)


def _chapter_links():
    """The tables linking a chapter to what it credits (its references through link models, ``book.kinds``):
    (kind, link model, linked model, role field or None)."""
    links = []
    for reference in book_kinds.CHAPTER.references:
        if reference.via in (book_kinds.PARENT, book_kinds.DESCENDANTS):
            continue
        field = ChapterPage._meta.get_field(reference.via)
        if not field.one_to_many:
            continue
        kind = book_kinds.get(reference.kind)
        link_model = field.related_model
        role = "role" if any(field.name == "role" for field in link_model._meta.concrete_fields) else None
        links.append((kind.name, link_model, Page if kind.page else kind.model, role))
    return tuple(links)


CHAPTER_LINKS = _chapter_links()


def _chapter_keys_sql(chapters, pages):
    """The query of ``_chapter_keys`` for ``chapters`` chapter ids (given once per link table)
    and ``pages`` linked page ids (the last select, left out when there are none)."""
    quote = connection.ops.quote_name
    key = quote("translation_key")
    selects = []
    for kind, link_model, target_model, role in CHAPTER_LINKS:
        link, target = link_model._meta, target_model._meta
        chapter_id = f"l.{quote(link.get_field('chapter').column)}"
        role_column = f"l.{quote(link.get_field(role).column)}" if role else "''"
        selects.append(
            f"SELECT '{kind}', {chapter_id}, t.{key}, {role_column}, l.{quote('sort_order')} "
            f"FROM {quote(link.db_table)} l INNER JOIN {quote(target.db_table)} t "
            f"ON t.{quote(target.pk.column)} = l.{quote(link.get_field(kind).column)} "
            f"WHERE {chapter_id} IN ({', '.join(['%s'] * chapters)})"
        )
    if pages:
        page = Page._meta
        selects.append(
            f"SELECT 'link', p.{quote(page.pk.column)}, p.{key}, '', 0 FROM {quote(page.db_table)} p "
            f"WHERE p.{quote(page.pk.column)} IN ({', '.join(['%s'] * pages)})"
        )
    return " UNION ALL ".join(selects)


def _chapter_keys(ids, page_ids):
    """The translation keys chapters point at: what they credit, and the pages their text links to.

    One query for the three link tables and the linked pages. Returns the contributors (with
    their role), themes and sectors by kind and chapter, in order: ``{kind: {chapter id: [(key,
    role), ...]}}``, and ``{linked page id: key}``. Written in SQL: the ORM takes fifteen times
    longer to build the same union than the database to answer it, on every chapter response.
    A contributor or theme is joined to its page row directly (its own table shares the page's id).
    """
    ids, page_ids = list(ids), list(page_ids)
    links = {kind: {} for kind, *_rest in CHAPTER_LINKS}
    linked = {}
    if not ids:
        return links, linked
    with connection.cursor() as cursor:
        cursor.execute(_chapter_keys_sql(len(ids), len(page_ids)), ids * len(CHAPTER_LINKS) + page_ids)
        rows = cursor.fetchall()
    # Published or not: a document shows them once they are.
    dependencies.note_keys(row[2] for row in rows)
    for kind, item_id, key, role, _position in sorted(rows, key=lambda row: (row[1], row[4])):
        if kind == "link":
            linked[item_id] = as_uuid(key)
        else:
            links[kind].setdefault(item_id, []).append((as_uuid(key), role))
    return links, linked


def _use_draft_links(links, chapters):
    """Put in ``links`` the credits, themes and sectors of draft ``chapters`` as their revisions hold
    them (a contributor added in the draft, one removed), not as the stored live rows have them.

    One query per kind of link, for the translation keys of what the drafts point at.
    """
    for kind, link_model, target_model, role in CHAPTER_LINKS:
        relation = link_model._meta.get_field("chapter").remote_field.related_name
        target = link_model._meta.get_field(kind).attname
        held = {chapter.pk: sorted(getattr(chapter, relation).all(), key=_link_order) for chapter in chapters}
        ids = {getattr(link, target) for items in held.values() for link in items}
        keys = (
            dict(target_model.objects.filter(pk__in=ids).order_by().values_list("pk", "translation_key"))
            if ids
            else {}
        )
        for chapter_id, items in held.items():
            links[kind][chapter_id] = [
                (as_uuid(keys[getattr(link, target)]), getattr(link, role) if role else "")
                for link in items
                if getattr(link, target) in keys
            ]


def _link_order(link):
    return (link.sort_order is None, link.sort_order or 0)


def as_uuid(value):
    """A translation key as the ORM gives it (SQLite stores it as text)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _city_keys(items):
    """The translation key of each item's city, by city id.

    The viewsets read it with the items (``api_city_key``); otherwise one query.
    """
    if all(hasattr(item, "api_city_key") for item in items):
        keys = {item.city_id: item.api_city_key for item in items if item.city_id}
    else:
        keys = dict(
            City.objects.filter(pk__in={item.city_id for item in items if item.city_id}).values_list(
                "pk", "translation_key"
            )
        )
    dependencies.note_keys(keys.values())
    return keys


# What a citation reads of the book, besides its title.
BOOK_CITATION_FIELDS = ("subtitle", "editors", "publisher", "publication_date", "isbn")


def book_path(page):
    """The path of the book a page belongs to: books are the roots of the languages' trees."""
    return page.path[: 2 * Page.steplen]


def _citation_sources(chapters, contributors):
    """The books of ``chapters`` by path, and the sort names of ``contributors`` (pages) by id.

    One query: both are pages, read through the page table with the columns of their own.
    """
    contributor_ids = {contributor.pk for contributor in contributors}
    # A chapter's book is private when the chapter is: it is shown unless unpublished or expired.
    books_q = Q(path__in={book_path(chapter) for chapter in chapters}, live=True) & selectors.not_expired()
    rows = (
        Page.objects.filter(Q(pk__in=contributor_ids) | books_q)
        .order_by()
        .values(
            "pk",
            "path",
            "title",
            "contributorpage__sort_name",
            *(f"bookpage__{field}" for field in BOOK_CITATION_FIELDS),
        )
    )
    books, sort_names = {}, {}
    for row in rows:
        if row["pk"] in contributor_ids:
            sort_names[row["pk"]] = row["contributorpage__sort_name"] or ""
        if row["bookpage__subtitle"] is not None:
            books[row["path"]] = SimpleNamespace(
                title=row["title"], **{field: row[f"bookpage__{field}"] for field in BOOK_CITATION_FIELDS}
            )
    return books, sort_names


def prepare_chapters(reader, chapters, locale_id, detail=False, draft=False):
    """``draft``: the chapters are revisions (a preview), whose credits, themes and sectors are theirs,
    not the stored live rows'."""
    prepared = decorate(reader, chapters, "chapter", ChapterPage, locale_id, PreparedChapter)
    if not chapters:
        return prepared
    chain = reader.chain_from(locale_id)
    ids = [chapter.pk for chapter in chapters]

    batches = Batches(reader, locale_id)
    if detail:
        for chapter in chapters:
            body.collect(chapter.body.raw_data, batches)
    links, linked = _chapter_keys(ids, batches.rich_text.page_ids)
    if draft:
        _use_draft_links(links, chapters)
    batches.rich_text.use_linked_keys(linked)
    contributor_links, theme_links, sector_links = links["contributor"], links["theme"], links["sector"]
    # The contributors, the themes and the pages the bodies link to, in one query:
    # every one of them is a page, shown by reference.
    pages = selectors.best_versions(
        published(Page, reader.private_q),
        {
            *(key for links in contributor_links.values() for key, _role in links),
            *(key for links in theme_links.values() for key, _role in links),
            *batches.rich_text.linked_keys().values(),
        },
        chain,
        fields=(*PAGE_REFERENCE, "content_type_id"),
    )
    batches.rich_text.use_versions(pages)
    sectors = selectors.best_versions(
        published(Sector),
        [key for links in sector_links.values() for key, _role in links],
        chain,
        fields=SNIPPET_REFERENCE,
    )
    city_keys = _city_keys(chapters)
    cities = selectors.best_versions(published(City), city_keys.values(), chain, fields=SNIPPET_REFERENCE)
    credited = [pages[key] for links in contributor_links.values() for key, _role in links if key in pages]
    books, sort_names = _citation_sources(chapters, credited)
    part_pages = {
        part["path"]: SimpleNamespace(**part)
        for part in published(PartPage, reader.private_q)
        .filter(path__in={chapter.path[: -ChapterPage.steplen] for chapter in chapters})
        .values("pk", "path", *PAGE_REFERENCE)
    }

    for shown in prepared:
        chapter = shown.item
        shown.contributors = [
            reference(reader, pages[key], "contributor", parts.ContributorCredit, role=role)
            for key, role in contributor_links.get(chapter.pk, [])
            if key in pages
        ]
        shown.themes = [
            reference(reader, pages[key], "theme")
            for key, _role in theme_links.get(chapter.pk, [])
            if key in pages
        ]
        shown.sectors = [
            reference(reader, sectors[key], "sector")
            for key, _role in sector_links.get(chapter.pk, [])
            if key in sectors
        ]
        city = cities.get(city_keys.get(chapter.city_id))
        shown.city = reference(reader, city, "city") if city else None
        part = part_pages.get(chapter.path[: -ChapterPage.steplen])
        shown.part = (
            parts.PartReference(
                id=part.pk,
                key=part.translation_key,
                locale=reader.code(part.locale_id),
                slug=part.slug,
                title=part.title,
                url=reader.list_url("chapter", part.locale_id, part=part.translation_key),
            )
            if part
            else None
        )
        shown.citation = citations.chapter_csl(
            chapter,
            books.get(book_path(chapter)),
            [
                citations.Credit(pages[key].title, sort_names.get(pages[key].pk, ""), role)
                for key, role in contributor_links.get(chapter.pk, [])
                if key in pages
            ],
            language=shown.locale,
            url=shown.url,
        )
    if detail:
        for shown in prepared:
            shown.body = body.serialize(
                shown.item.body.raw_data,
                batches,
                untranslated=shown.untranslated_blocks,
                source_language=shown.translation.source_locale,
            )
    return prepared


def _chapter_versions(reader, keys, locale_id):
    """The public chapters with these keys in the language served (or its fallbacks), by key; one query."""
    return selectors.best_versions(
        published(ChapterPage, reader.private_q), keys, reader.chain_from(locale_id)
    )


def _in_book_order(chapters, keys, locale_id):
    """Those of ``chapters`` (by key) with one of ``keys``: the language served first, then in book order."""
    found = [chapters[key] for key in keys if key in chapters]
    return sorted(found, key=lambda chapter: (chapter.locale_id != locale_id, chapter.path))


def _chapters_for_keys(reader, keys, locale_id):
    """The public chapters with these keys in the language served (or its fallbacks), in book order."""
    keys = set(keys)
    return _in_book_order(_chapter_versions(reader, keys, locale_id), keys, locale_id)


def prepare_contributors(reader, contributors, locale_id, detail=False, draft=False):
    prepared = decorate(reader, contributors, "contributor", ContributorPage, locale_id, PreparedContributor)
    if not contributors:
        return prepared
    chain = reader.chain_from(locale_id)
    city_keys = _city_keys(contributors)
    cities = selectors.best_versions(published(City), city_keys.values(), chain, fields=SNIPPET_REFERENCE)
    batches = Batches(reader, locale_id)
    for contributor in contributors:
        batches.images.add(contributor.portrait_id)
        if detail:
            batches.rich_text.collect(contributor.biography)
    if detail:
        credits = selectors.chapter_keys_by_contributors(
            contributor.translation_key for contributor in contributors
        )
        dependencies.note_keys(key for credited in credits.values() for key in credited)
        chapters = _chapter_versions(
            reader, {key for credited in credits.values() for key in credited}, locale_id
        )
    for shown in prepared:
        contributor = shown.item
        city = cities.get(city_keys.get(contributor.city_id))
        shown.city = reference(reader, city, "city") if city else None
        shown.professions = contributor.profession_list
        shown.portrait = batches.images.serialize(
            contributor.portrait_id, alt=contributor.title, credit=contributor.portrait_credit
        )
        if detail:
            shown.biography = batches.rich_text.render(contributor.biography)
            shown.links = [
                parts.Link(
                    label=(link.get("value") or {}).get("label", ""),
                    url=public_url_or_empty((link.get("value") or {}).get("url")),
                )
                for link in contributor.links.raw_data
            ]
            credited = credits.get(contributor.translation_key, {})
            shown.chapters = [
                chapter_reference(
                    reader, chapter, parts.ChapterCredit, role=credited[chapter.translation_key]
                )
                for chapter in _in_book_order(chapters, credited, locale_id)
            ]
    return prepared


def prepare_themes(reader, themes, locale_id, detail=False, draft=False):
    prepared = decorate(reader, themes, "theme", ThemePage, locale_id, PreparedTheme)
    batches = Batches(reader, locale_id)
    for theme in themes:
        batches.rich_text.collect(theme.description)
    if detail:
        filed = selectors.chapter_keys_by_themes(theme.translation_key for theme in themes)
        dependencies.note_keys(key for keys in filed.values() for key in keys)
        chapters = _chapter_versions(reader, {key for keys in filed.values() for key in keys}, locale_id)
    for shown in prepared:
        theme = shown.item
        shown.description = batches.rich_text.render(theme.description)
        if detail:
            shown.chapters = [
                chapter_reference(reader, chapter)
                for chapter in _in_book_order(chapters, filed.get(theme.translation_key, ()), locale_id)
            ]
    return prepared


def prepare_books(reader, books, locale_id, detail=False, draft=False):
    prepared = decorate(reader, books, "book", BookPage, locale_id, PreparedBook)
    batches = Batches(reader, locale_id)
    for book in books:
        batches.images.add(book.cover_image_id)
    for shown in prepared:
        book = shown.item
        shown.cover = batches.images.serialize(book.cover_image_id, alt=book.title, credit=book.cover_credit)
        if detail:
            shown.supporters = [
                parts.Supporter(
                    name=(item.get("value") or {}).get("name", ""),
                    url=public_url_or_empty((item.get("value") or {}).get("url")),
                )
                for item in book.supporters.raw_data
            ]
            shown.toc = table_of_contents(reader, book)
            shown.editions = editions_of(reader, book)
    return prepared


def mirrored_locales(pages):
    """``{page id: locale id}`` of the pages that mirror a page of another language (aliases): the
    language of what they show. One query, none when no page is an alias."""
    aliases = [page for page in pages if getattr(page, "alias_of_id", None)]
    if not aliases:
        return {}
    locales = dict(
        Page.objects.filter(pk__in={page.alias_of_id for page in aliases}).values_list("pk", "locale_id")
    )
    return {
        page.pk: locales[page.alias_of_id]
        for page in aliases
        if locales.get(page.alias_of_id, page.locale_id) != page.locale_id
    }


def table_of_contents(reader, book):
    """The book's parts in order, each with its chapters, each saying the language it is in.

    A part or a chapter of this language's tree that only mirrors the source (the alias that
    translation tools make of an untranslated parent) is in the source's language: its
    ``locale`` says so, with ``fallback``.
    """
    contents = book.table_of_contents()
    pages = [page for part, chapters in contents for page in (part, *chapters)]
    mirrored = mirrored_locales(pages)

    def served(page):
        locale_id = mirrored.get(page.pk, page.locale_id)
        return {"locale": reader.code(locale_id), "fallback": locale_id != reader.locale.pk}

    return [
        parts.TocPart(
            id=part.pk,
            key=part.translation_key,
            slug=part.slug,
            title=part.title,
            subtitle=part.subtitle,
            url=reader.list_url("chapter", part.locale_id, part=part.translation_key),
            **served(part),
            chapters=[
                chapter_reference(reader, chapter, parts.TocChapter, **served(chapter))
                for chapter in chapters
            ],
        )
        for part, chapters in contents
    ]


def editions_of(reader, book):
    """The files of ``book`` readers can download, one per format: those built at least once."""
    from book.models import Edition

    rows = (
        Edition.objects.filter(book_key=book.translation_key, locale_id=book.locale_id)
        .exclude(file="")
        .order_by("format")
    )
    built_at = DateTimeField()
    return [
        parts.Edition(
            format=edition.format,
            url=reader.absolute(edition.file.url),
            media_type=edition.media_type,
            bytes=edition.bytes,
            sha256=edition.sha256,
            built_at=built_at.to_representation(edition.built_at),
            complete=edition.complete,
        )
        for edition in rows
    ]


def prepare_cities(reader, cities, locale_id, detail=False):
    return decorate(reader, cities, "city", City, locale_id)


def prepare_sectors(reader, sectors, locale_id, detail=False):
    return decorate(reader, sectors, "sector", Sector, locale_id)


# What ``/locales/`` counts in each language, by the name of its list endpoint.
def counted_kinds():
    """The kinds ``/locales/`` counts: every kind the API serves, by the name of its list endpoint."""
    return [(kind.segment, kind.model) for kind in book_kinds.served()]


def own_content(queryset):
    """Leave out pages that only mirror a page of another language (the aliases translation tools
    make of untranslated parents): what they show is that language's, not theirs."""
    if issubclass(queryset.model, Page):
        return queryset.filter(Q(alias_of__isnull=True) | Q(alias_of__locale_id=F("locale_id")))
    return queryset


def prepare_locales(reader, locales):
    """Say of each locale whether the book is published in it and how much (one query per kind, and one)."""
    counts = {locale.pk: {} for locale in locales}
    for name, model in counted_kinds():
        rows = (
            own_content(published(model, reader.private_q))
            .values("locale_id")
            .annotate(total=Count("pk"))
            .values_list("locale_id", "total")
        )
        found = dict(rows)
        for locale_id, counted in counts.items():
            counted[name] = found.get(locale_id, 0)
    source = next(
        (locale for locale in reader.locales if locale.language_code == settings.BOOK_SOURCE_LANGUAGE), None
    )
    chapters = own_content(published(ChapterPage, reader.private_q))
    source_keys = chapters.filter(locale=source).values("translation_key")
    translated = dict(
        chapters.filter(translation_key__in=source_keys)
        .values("locale_id")
        .annotate(total=Count("pk"))
        .values_list("locale_id", "total")
    )
    source_total = translated.get(source.pk, 0) if source else 0
    return [
        PreparedLocale(
            locale=locale,
            published=counts[locale.pk]["books"] > 0,
            counts=counts[locale.pk],
            progress=round(translated.get(locale.pk, 0) / source_total, 4) if source_total else 0.0,
        )
        for locale in locales
    ]
