"""The whole-book read: a book with the full documents of the kinds a client asks to include.

``GET /api/v1/books/{ref}/?include=chapters,contributors,...`` answers the book's
detail with ``included``: for each kind asked, every item a reader of that
language may see, each exactly as its own detail endpoint shows it. The items
are read, prepared and written out a batch at a time, so that the response is
streamed and the memory it takes does not grow with the book; the queries grow
only by a fixed number per batch of ``BATCH_SIZE`` items (and per language a
batch falls back to).
"""

import json
from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from book import kinds as book_kinds
from book.models import BookPage

from .errors import ParameterError
from .languages import label_language

INCLUDE_PARAMETER = "include"
# How many items are prepared together: the queries of a whole-book read grow by one
# detail's worth per batch, its memory by one batch's documents.
BATCH_SIZE = 100


@dataclass(frozen=True)
class IncludedKind:
    """How the items of one kind are chosen and ordered in ``included``."""

    name: str
    # The fields the items are ordered by (then their id), as the kind's list orders them;
    # chapters follow the book's table of contents instead.
    ordering: tuple = ()
    # Pages that belong to a book (contributors, themes): only those of the book read.
    in_book: bool = False


# Every kind the API serves but the book itself, by its list's name, in the registry's order.
INCLUDABLE = {
    kind.segment: IncludedKind(kind.segment, kind.included_ordering, kind.in_book)
    for kind in book_kinds.served()
    if kind is not book_kinds.BOOK
}


def requested_kinds(request):
    """The kinds the request asks to include, in the order of ``INCLUDABLE``; a 400 for any other.

    ``include`` is a comma-separated list, and may be repeated (as some clients send lists).
    """
    names = {
        name.strip()
        for value in request.query_params.getlist(INCLUDE_PARAMETER)
        for name in value.split(",")
        if name.strip()
    }
    unknown = sorted(names - INCLUDABLE.keys())
    if unknown:
        raise ParameterError(
            INCLUDE_PARAMETER,
            _("include takes a comma-separated list of: %(kinds)s. Unknown: %(unknown)s.")
            % {"kinds": ", ".join(INCLUDABLE), "unknown": ", ".join(unknown)},
            code="invalid_choice",
        )
    return [name for name in INCLUDABLE if name in names]


def _book_scope(book):
    """Every language version of ``book``'s tree: what ``in_book`` kinds are looked for under."""
    scope = Q(pk__in=[])
    for path in BookPage.objects.filter(translation_key=book.translation_key).values_list("path", flat=True):
        scope |= Q(path__startswith=path)
    return scope


def chosen_ids(reader, viewset, kind, book):
    """The ids of the items of ``kind`` to include, in order: each key's version that its detail serves.

    One query (two for the kinds that belong to a book): the keys published in the request's
    language or its fallbacks, each in the first language of the chain that has it.
    """
    queryset = viewset.published_items(reader, detail=False).filter(locale_id__in=reader.chain_ids)
    if kind.in_book:
        queryset = queryset.filter(_book_scope(book))
    rank = {locale_id: position for position, locale_id in enumerate(reader.chain_ids)}
    best = {}
    for pk, key, locale_id, *ordering in queryset.order_by().values_list(
        "pk", "translation_key", "locale_id", *kind.ordering
    ):
        current = best.get(key)
        if current is None or rank[locale_id] < rank[current[1]]:
            best[key] = (pk, locale_id, [(value is None, value) for value in ordering])
    return [pk for pk, _locale_id, _ordering in sorted(best.values(), key=lambda row: (row[2], row[0]))]


def chapter_ids(book_data):
    """The chapters of the book's table of contents, in reading order."""
    return [chapter["id"] for part in book_data["toc"] for chapter in part["chapters"]]


def documents(reader, viewset, ids):
    """The detail documents of the items ``ids`` of ``viewset``'s kind, in that order, a batch at a time.

    Each item is prepared as its detail endpoint prepares it, from its own language.
    """
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        loaded = viewset.published_items(reader, detail=True).filter(pk__in=batch).in_bulk()
        items = [loaded[pk] for pk in batch if pk in loaded]
        by_locale = {}
        for item in items:
            by_locale.setdefault(item.locale_id, []).append(item)
        serializer = viewset.detail_serializer_class
        documents = {}
        # Each item's labels in the language of its content, as its detail endpoint gives them.
        for locale_id, group in by_locale.items():
            with translation.override(label_language(reader.code(locale_id))):
                for prepared in viewset.prepare_items(reader, group, locale_id, detail=True):
                    documents[prepared.item.pk] = serializer(prepared).data
        for item in items:
            yield documents[item.pk]


def dumps(data, indent=None, depth=0):
    """JSON as the API's renderer writes it: compact, UTF-8; or indented by ``indent`` spaces (as
    ``Accept: application/json; indent=N`` asks), as if nested ``depth`` levels deep."""
    if indent is None:
        text = json.dumps(data, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(data, cls=JSONEncoder, ensure_ascii=False, indent=indent, separators=(",", ": "))
        # A newline inside a string is written escaped: every one in the text starts a line.
        text = text.replace("\n", "\n" + " " * (indent * depth))
    # The line and paragraph separators end a line in JavaScript: DRF's renderer writes them escaped.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def stream(book_data, parts, indent=None):
    """The book's document with ``included``, as chunks of bytes, compact or indented by ``indent``
    spaces, byte for byte as DRF's renderer writes the whole.

    ``parts``: ``(name, documents)`` pairs, each ``documents`` an iterable read only as it is written.
    """
    if indent is None:
        head = dumps(book_data)
        yield f'{head[:-1]},"included":{{'.encode()
        for position, (name, items) in enumerate(parts):
            yield f'{"," if position else ""}"{name}":['.encode()
            for index, item in enumerate(items):
                yield (("," if index else "") + dumps(item)).encode()
            yield b"]"
        yield b"}}"
        return
    # How the lines of each of the three levels below the book's own start.
    book_line, kind_line, item_line = ("\n" + " " * (indent * depth) for depth in (1, 2, 3))
    head = dumps(book_data, indent)
    yield f'{head[:-2]},{book_line}"included": {{'.encode()
    for position, (name, items) in enumerate(parts):
        yield f'{"," if position else ""}{kind_line}"{name}": ['.encode()
        written = False
        for index, item in enumerate(items):
            yield f"{',' if index else ''}{item_line}{dumps(item, indent, 3)}".encode()
            written = True
        # An empty list is written ``[]``, on one line.
        yield f"{kind_line}]".encode() if written else b"]"
    yield f"{book_line}}}\n}}".encode()
