"""Public documents built on change: each item's detail and summary, rendered once and stored.

A document is what the API serves for an item (its translation key) read in
one language: its detail, and for an item in that language the summary that
lists embed. It is rendered by the code the views always used (``api.prepare``
and the serializers) and stored as bytes in the database, the truth; the
response cache keeps whole responses in front of it (``api.http``).

Its URLs name a stand-in origin (``ORIGIN``) that the origin of the request
reading it replaces, so that one document serves every host. Its ETag is a
digest of its bytes: a document built again unchanged keeps its ETag.

**What is current.** Every change to what the public can read (``api.signals``)
takes a new number in a sequence and gives it to everything it changes (an
item's key, an image, a page linked from text) and to every item whose
documents show one of those (``DocumentDependency``). A document records the
sequence number when its build began; it is served only while its item's
number is not greater, and no change to *everything* (a new language) came
after it. A build that began before a change and ends after it is not stored:
its dependencies are written first, then the numbers of all it read are
checked, then the document is written. The change looks for the items
showing what it changed once inside its transaction and again once it has
committed, so that a build that wrote its dependencies in between is caught
either way. So a stale document is never served, with one app server or many.

**Expiry.** A document also keeps until when it holds: the next moment any
public item expires, as the database knew it when the build began.

**Tokens.** Each key, each kind and everything have a random token in the
shared cache, replaced on every change (inside the transaction, and again once
it committed); a cached response keeps the tokens it was built under and is
served only while they are the same, without touching the database.

**Responses made at each request** (a book and its table of contents, search,
the locales, the change feed) are not stored, but they too have the ETag of
their body, and are cached under tokens of their own: one per language read,
replaced by every change to content that a reader of that language may be
shown (its own, and that of the languages it falls back to), and one (``ANY``)
replaced by every change.
"""

import datetime
import functools
import hashlib
import json
import re
import uuid

from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer
from wagtail.models import Locale, Page

from book import kinds as book_kinds
from book import selectors

from . import dependencies
from .dependencies import key_target
from .http import bump_tokens, next_scheduled_change
from .languages import label_language
from .models import DocumentDependency, DocumentGeneration, StoredDocument
from .reader import Reader

HOST = "origin.stored-document.invalid"
ORIGIN = f"http://{HOST}"
SEQUENCE = "#"
EVERYTHING = "*"
# At most so many documents are built again as soon as a change commits, by the process that made it;
# the worker builds those of larger changes at its next round.
EAGER_LIMIT = 200
# The token of the responses that show a change to anything (the locales' counts, the change feed).
ANY = "any"
DETAIL, SUMMARY = StoredDocument.DETAIL, StoredDocument.SUMMARY
UUID_RE = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def documented_kinds():
    """The kinds served as stored documents: every kind with endpoints but the book, whose detail
    holds the table of contents and the editions and stays built at each request."""
    return [kind for kind in book_kinds.served() if kind is not book_kinds.BOOK]


def is_documented(kind_name):
    return any(kind.name == kind_name for kind in documented_kinds())


class _OriginRequest(HttpRequest):
    """What a document is built for: a request to the stand-in origin."""

    def get_host(self):
        return HOST

    def _get_scheme(self):
        return "http"


def origin_of(request):
    return request.build_absolute_uri("/")[:-1]


def for_request(body, request):
    """A stored body with the request's origin in its URLs."""
    return body.replace(ORIGIN.encode(), origin_of(request).encode())


def render(data):
    return JSONRenderer().render(data)


def digest(body):
    return hashlib.sha256(body).hexdigest()[:32]


# The sequence of changes ----------------------------------------------------


def _seq(target):
    return DocumentGeneration.objects.filter(target=target).values_list("seq", flat=True).first() or 0


def current_sequence():
    return _seq(SEQUENCE)


def _record(targets):
    """A new sequence number, given to every one of ``targets``; in the current transaction."""
    with transaction.atomic():
        DocumentGeneration.objects.bulk_create([DocumentGeneration(target=SEQUENCE)], ignore_conflicts=True)
        # The update locks the row: changes take their numbers one after the other.
        DocumentGeneration.objects.filter(target=SEQUENCE).update(seq=F("seq") + 1)
        seq = _seq(SEQUENCE)
        DocumentGeneration.objects.bulk_create(
            [DocumentGeneration(target=target, seq=seq) for target in sorted(targets)],
            update_conflicts=True,
            unique_fields=["target"],
            update_fields=["seq"],
        )
    return seq


def _showing(targets):
    """The items (key, kind) whose documents show one of ``targets``."""
    found = set()
    targets = list(targets)
    for start in range(0, len(targets), 500):
        found.update(
            DocumentDependency.objects.filter(target__in=targets[start : start + 500]).values_list(
                "key", "kind"
            )
        )
    return found


class Change:
    """What one change to the content makes obsolete: targets, and the kinds of the items among them."""

    def __init__(self):
        self.targets = set()
        # Items whose own documents list the changed ones (a chapter's contributors list it): made
        # stale, but nothing they show changed, so what shows them is left alone.
        self.listing = set()
        self.kinds = set()
        self.everything = False

    def __bool__(self):
        return bool(self.targets or self.listing or self.everything)


def changed(targets=(), kinds=(), everything=False, listing=()):
    """Record, in the current transaction, that ``targets`` changed (keys of items of ``kinds``, ...).

    Marks stale every document of those items and of the items showing them, and those of the
    items ``listing`` (keys) alone, at once and again after commit; replaces their tokens in the
    shared cache likewise.
    """
    change = Change()
    change.targets.update(targets)
    change.listing.update(listing)
    change.kinds.update(kinds)
    change.everything = everything
    if not change:
        return
    affected = _apply(change)
    transaction.on_commit(lambda: _after_commit(change, affected), robust=True)


def _apply(change):
    showing = _showing(change.targets)
    targets = set(change.targets) | set(change.listing) | {key for key, _kind in showing}
    if change.everything:
        targets.add(EVERYTHING)
    _record(targets)
    kinds = set(change.kinds) | {kind for _key, kind in showing}
    tokens = [f"key:{target}" for target in targets] + [f"kind:{kind}" for kind in kinds]
    if change.everything:
        tokens.append("all")
    bump_tokens(tokens)
    return showing


# Sent once a change committed, with ``keys``: the items (32 hex digits) whose documents it made stale,
# or None when it may have made any stale. ``api.signals`` builds them again and purges the CDN.
committed = Signal()


def _after_commit(change, showing_before):
    showing = _apply(change)
    keys = (
        {key for key, _kind in showing | showing_before}
        | {target for target in change.targets if len(target) == 32 and ":" not in target}
        | change.listing
    )
    committed.send(sender=Change, keys=None if change.everything else keys)


def locale_token(code):
    """The token of the responses read in language ``code`` that are made at each request."""
    return f"locale:{code.lower()}"


def reading_codes(locale_ids=None):
    """The codes of the languages whose readers may be shown content of ``locale_ids``: those
    languages and the ones that fall back to them; every language when ``locale_ids`` is None."""
    from .reader import fallback_codes

    codes = dict(Locale.objects.values_list("pk", "language_code"))
    if locale_ids is None:
        return sorted(codes.values())
    shown = {codes[pk].lower() for pk in locale_ids if pk in codes}
    return sorted(
        code for code in codes.values() if shown & {name.lower() for name in (code, *fallback_codes(code))}
    )


def content_changed(locale_ids=None):
    """Content of ``locale_ids`` (of any language when None) changed: the responses made at each
    request that may show it are made again; their tokens are replaced at once and after commit."""
    names = [ANY, *(locale_token(code) for code in reading_codes(locale_ids))]
    bump_tokens(names)
    transaction.on_commit(lambda: bump_tokens(names), robust=True)


# Building ---------------------------------------------------------------------


def _document(owner, locale, shape, kind_name, body, code, started, valid_until):
    """An unsaved document of ``body``, built from the changes up to ``started``, valid until the timestamp
    ``valid_until`` (None: until something it shows changes)."""
    return StoredDocument(
        key=owner,
        locale_id=locale.pk,
        shape=shape,
        kind=kind_name,
        body=body,
        etag=digest(body),
        content_language=code,
        built_seq=started,
        valid_until=None
        if valid_until is None
        else datetime.datetime.fromtimestamp(valid_until, datetime.UTC),
    )


def build(viewset, key, locale, store=True):
    """The documents of the item ``key`` of ``viewset``'s kind read in ``locale``, ``{shape: StoredDocument}``.

    Empty when no version of it is public in that language or its fallbacks. Stored unless
    something it read changed while it was built, or a part of it (the media storage) did not answer.
    """
    kind = viewset.kind
    started = current_sequence()
    valid_until = next_scheduled_change()
    reader = Reader(_OriginRequest(), locale_code=locale.language_code)
    with dependencies.collecting() as targets:
        published = viewset.published_items(reader, detail=True).order_by()
        item = selectors.best_versions(published, [key], reader.chain_ids).get(key)
        if item is None:
            return {}
        code = reader.code(item.locale_id)
        with translation.override(label_language(code)):
            (prepared,) = viewset.prepare_items(reader, [item], item.locale_id, detail=True)
            shapes = {DETAIL: viewset.detail_serializer_class(prepared).data}
            if item.locale_id == locale.pk:
                shapes[SUMMARY] = viewset.serializer_class(prepared).data
    owner = key_target(key)
    documents = {}
    for shape, data in shapes.items():
        body = render(data)
        targets.update(match.decode().replace("-", "") for match in UUID_RE.findall(body))
        documents[shape] = _document(owner, locale, shape, kind.name, body, code, started, valid_until)
    targets.discard(owner)
    for document in documents.values():
        # Not stored, nor cached by whoever serves it, when the media storage did not answer.
        document.incomplete = reader.incomplete
    if store and not reader.incomplete:
        _store(owner, kind.name, documents, targets, started)
    return documents


def _store(owner, kind, documents, targets, started):
    """Write the dependencies, then the documents if nothing they read changed since ``started``."""
    return _store_many(kind, {owner: (list(documents.values()), targets)}, started)


def _store_many(kind, built, started):
    """``_store`` for several items at once, ``{owner: (documents, targets)}``; in a fixed number of queries.

    The documents are stored only if nothing any of them read changed since ``started``.
    """
    DocumentDependency.objects.bulk_create(
        [
            DocumentDependency(key=owner, kind=kind, target=target)
            for owner, (_documents, targets) in built.items()
            for target in sorted(targets)
        ],
        ignore_conflicts=True,
    )
    read = sorted(
        {EVERYTHING, *built, *(target for _documents, targets in built.values() for target in targets)}
    )
    latest = 0
    for start in range(0, len(read), 500):
        found = DocumentGeneration.objects.filter(target__in=read[start : start + 500]).aggregate(
            latest=Max("seq")
        )["latest"]
        latest = max(latest, found or 0)
    if latest > started:
        return False
    StoredDocument.objects.bulk_create(
        [document for documents, _targets in built.values() for document in documents],
        update_conflicts=True,
        unique_fields=["key", "locale_id", "shape"],
        update_fields=["kind", "body", "etag", "content_language", "built_seq", "valid_until", "built_at"],
    )
    return True


def build_summaries(viewset, keys, locale):
    """The summaries of the items ``keys`` of ``viewset``'s kind in ``locale``, ``{key: StoredDocument}``:
    prepared together, as a list prepares them, and stored together, in a fixed number of queries.

    Each depends on what it shows (the items whose keys it holds, see ``shown_by_each``), not on what the
    others in the batch show.
    """
    started = current_sequence()
    valid_until = next_scheduled_change()
    reader = Reader(_OriginRequest(), locale_code=locale.language_code)
    code = locale.language_code
    with dependencies.collecting() as targets:
        items = list(
            viewset.published_items(reader, detail=False).filter(locale=locale, translation_key__in=keys)
        )
        if not items:
            return {}
        with translation.override(label_language(code)):
            prepared = viewset.prepare_items(reader, items, locale.pk, detail=False)
            shapes = {shown.item.translation_key: viewset.serializer_class(shown).data for shown in prepared}
    bodies = {key: render(data) for key, data in shapes.items()}
    shown_by = shown_by_each(targets, {key_target(key): body for key, body in bodies.items()})
    built, found = {}, {}
    for key, body in bodies.items():
        owner = key_target(key)
        shown = shown_by[owner]
        found[key] = _document(owner, locale, SUMMARY, viewset.kind.name, body, code, started, valid_until)
        found[key].incomplete = reader.incomplete
        built[owner] = ([found[key]], shown)
    if not reader.incomplete:
        _store_many(viewset.kind.name, built, started)
    return found


def keys_in(body):
    """The keys (32 hex digits) of the items a rendered document holds."""
    return {match.decode().replace("-", "") for match in UUID_RE.findall(body)}


def shown_by_each(targets, bodies):
    """What each of several documents prepared together depends on, ``{owner: targets}``, from ``targets``,
    all that their preparation read, and their bodies, ``{owner: body}``.

    An item's key that some of the bodies hold is what those show, and only those: the others,
    prepared by the same reader, would hold it too had they read it. What no body holds (an item
    not public, an image, a linked page, an embed) cannot be told apart: each depends on it.
    """
    holding = {owner: keys_in(body) for owner, body in bodies.items()}
    held = set().union(*holding.values())
    common = {target for target in targets if target not in held}
    return {owner: (common | keys) - {owner} for owner, keys in holding.items()}


# Reading ----------------------------------------------------------------------


def current(queryset):
    """Those of the stored documents that are current (see the module's docstring)."""
    own = DocumentGeneration.objects.filter(target=OuterRef("key")).values("seq")[:1]
    everything = DocumentGeneration.objects.filter(target=EVERYTHING).values("seq")[:1]
    return queryset.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=timezone.now()),
        built_seq__gte=Coalesce(Subquery(own), Value(0)),
    ).filter(built_seq__gte=Coalesce(Subquery(everything), Value(0)))


def stored(keys, locale_id, shape):
    """The current stored documents of ``keys`` in ``locale_id``, ``{key: Read}``; one query.

    The conditions of :func:`current`, written in SQL: every read runs it, and building
    the same query through the ORM costs a hundred times more than running it.
    """
    targets = [key_target(key) for key in keys]
    if not targets:
        return {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _current_sql(connection.vendor, len(targets)), [*targets, locale_id, shape, now, EVERYTHING]
        )
        rows = cursor.fetchall()
    # The values converted by their columns' converters, as a raw query converts them.
    found = {}
    for row in rows:
        values = list(row)
        for index, converter, column in _converters(connection.vendor):
            if values[index] is not None:
                values[index] = converter(values[index], column, connection)
        document = Read(*values)
        found[document.key] = document
    return found


_STORED_COLUMNS = ("id", "key", "body", "etag", "content_language", "valid_until")


class Read:
    """A stored document read to be served: the columns of ``stored``, as a ``StoredDocument`` has them.

    Not the model: instantiating it (its state, its signals) cost more than reading the row.
    """

    __slots__ = _STORED_COLUMNS

    def __init__(self, *values):
        for name, value in zip(_STORED_COLUMNS, values, strict=True):
            setattr(self, name, value)


@functools.cache
def _converters(vendor):
    """The converters of the columns :func:`stored` reads, ``(index, converter, column)``."""
    converters = []
    for index, name in enumerate(_STORED_COLUMNS):
        field = StoredDocument._meta.get_field(name)
        column = field.get_col(StoredDocument._meta.db_table)
        for converter in (*connection.ops.get_db_converters(column), *field.get_db_converters(connection)):
            converters.append((index, converter, column))
    return converters


@functools.cache
def _current_sql(vendor, count):
    """The query of :func:`stored` for ``count`` keys."""
    quote = connection.ops.quote_name
    documents, generations = (quote(model._meta.db_table) for model in (StoredDocument, DocumentGeneration))
    key, locale_id, shape, built_seq, valid_until, target, seq = map(
        quote, ("key", "locale_id", "shape", "built_seq", "valid_until", "target", "seq")
    )
    columns = ", ".join(f"d.{quote(name)}" for name in _STORED_COLUMNS)
    return (
        f"SELECT {columns} FROM {documents} d "
        f"WHERE d.{key} IN ({', '.join(['%s'] * count)}) AND d.{locale_id} = %s AND d.{shape} = %s "
        f"AND (d.{valid_until} IS NULL OR d.{valid_until} > %s) "
        f"AND d.{built_seq} >= COALESCE((SELECT g.{seq} FROM {generations} g WHERE g.{target} = d.{key}), 0) "
        f"AND d.{built_seq} >= COALESCE((SELECT g.{seq} FROM {generations} g WHERE g.{target} = %s), 0)"
    )


def detail(viewset, key, locale):
    """The detail document of ``key`` read in ``locale``, or None; built if need be."""
    found = stored([key], locale.pk, DETAIL).get(key_target(key))
    if found is not None:
        return found
    return build(viewset, key, locale).get(DETAIL)


def summaries(viewset, keys, locale):
    """The summary documents of ``keys`` (items in ``locale``), in that order; those missing are built."""
    found = stored(keys, locale.pk, SUMMARY)
    missing = [key for key in keys if key_target(key) not in found]
    if missing:
        found.update(
            (key_target(key), document) for key, document in build_summaries(viewset, missing, locale).items()
        )
    shown = []
    for key in keys:
        document = found.get(key_target(key))
        # None when made private or unpublished since the list was read: left out, as it would have been.
        if document is not None:
            shown.append(document)
    return shown


def valid_until(documents, *also):
    """Until when a response made of ``documents`` holds, or None; ``also`` are other moments (or
    None) that bound it."""
    moments = [document.valid_until for document in documents if document.valid_until is not None]
    moments += [moment for moment in also if moment is not None]
    return min(moments) if moments else None


# Rebuilding -------------------------------------------------------------------


def items_to_build(locale=None):
    """(kind, key, locale) of every document there is to build: each published item read in its own
    language and in each language that falls back to it; only those read in ``locale`` if given."""
    from .reader import fallback_codes

    locales = list(Locale.objects.order_by("pk"))
    codes = {item.pk: item.language_code.lower() for item in locales}
    for kind in documented_kinds():
        keys_by_code = {}
        for key, locale_id in (
            selectors.published(kind.model).order_by().values_list("translation_key", "locale_id")
        ):
            keys_by_code.setdefault(codes[locale_id], set()).add(key)
        for reading in locales if locale is None else [locale]:
            chain = {code.lower() for code in (reading.language_code, *fallback_codes(reading.language_code))}
            keys = set().union(*(found for code, found in keys_by_code.items() if code in chain))
            for key in sorted(keys, key=str):
                yield kind, key, reading


def stale():
    """(kind, key, locale id) of stored documents that are not current: those to build again."""
    current_ids = current(StoredDocument.objects.all()).values("pk")
    return set(
        StoredDocument.objects.exclude(pk__in=current_ids).values_list("kind", "key", "locale_id").distinct()
    )


def rebuild_stale(viewsets):
    """Build again the stored documents a change made obsolete; how many documents were stored."""
    locales = {locale.pk: locale for locale in Locale.objects.all()}
    count = 0
    for kind, key, locale_id in sorted(stale()):
        if locale_id in locales:
            count += len(build(viewsets[kind], uuid.UUID(key), locales[locale_id]))
    return count


class Refreshed:
    """What ``refresh`` did: the documents it built again, and those whose body changed or that are gone,
    as (kind, key, locale id, shape)."""

    def __init__(self):
        self.rebuilt = 0
        self.changed = []
        # The slugs the details gone showed, ``{key: {slug}}``: those of items deleted are found nowhere else.
        self.slugs = {}


def refresh(viewsets, keys=None, limit=None):
    """Build again the stale stored documents (of the items ``keys`` when given, 32 hex digits each), and
    delete those of items no longer public in the language they are read in (unpublished, made private,
    deleted): the rows are not left to be found stale at the next read.

    Nothing is done when there are more than ``limit`` of them (or of ``keys``).
    """
    refreshed = Refreshed()
    if limit is not None and keys is not None and len(keys) > limit:
        return refreshed

    def stale_rows(rows):
        return rows.exclude(pk__in=current(rows).values("pk")).values_list(
            "kind", "key", "locale_id", "shape", "etag", "built_seq"
        )

    found = []
    if keys is None:
        found = list(stale_rows(StoredDocument.objects.all()))
    else:
        keys = sorted(keys)
        for start in range(0, len(keys), 500):
            found += stale_rows(StoredDocument.objects.filter(key__in=keys[start : start + 500]))
    if limit is not None and len(found) > limit:
        return refreshed
    before = {(kind, key, locale_id, shape): (etag, seq) for kind, key, locale_id, shape, etag, seq in found}
    locales = {locale.pk: locale for locale in Locale.objects.all()}
    gone = Q(pk__in=[])
    for kind, key, locale_id in sorted({row[:3] for row in before}):
        locale = locales.get(locale_id)
        viewset = viewsets.get(kind)
        built = {} if locale is None or viewset is None else build(viewset, uuid.UUID(key), locale)
        for shape in (DETAIL, SUMMARY):
            old = before.get((kind, key, locale_id, shape))
            if old is None:
                continue
            document = built.get(shape)
            if document is None:
                # Only as it was read: a build that stored it again since is kept.
                gone |= Q(key=key, locale_id=locale_id, shape=shape, etag=old[0], built_seq=old[1])
            else:
                refreshed.rebuilt += 1
                if document.etag == old[0]:
                    continue
            refreshed.changed.append((kind, key, locale_id, shape))
    if gone:
        for key, body in StoredDocument.objects.filter(gone, shape=DETAIL).values_list("key", "body"):
            refreshed.slugs.setdefault(key, set()).add(json.loads(bytes(body))["slug"])
        StoredDocument.objects.filter(gone).delete()
    items = {(kind, key) for kind, key, _locale_id, _shape in refreshed.changed}
    if keys is not None:
        items.update(DocumentDependency.objects.filter(key__in=keys).values_list("kind", "key").distinct())
    _forget_deleted(items)
    return refreshed


def _forget_deleted(items):
    """Delete what is recorded of the items (kind, key) deleted for good: no build can need it again."""
    by_kind = {}
    for kind, key in items:
        by_kind.setdefault(kind, set()).add(key)
    deleted = set()
    for kind, keys in by_kind.items():
        if not is_documented(kind):
            continue
        model = book_kinds.get(kind).model
        existing = {
            key_target(key)
            for key in model.objects.filter(translation_key__in=[uuid.UUID(key) for key in keys]).values_list(
                "translation_key", flat=True
            )
        }
        deleted |= keys - existing
    if deleted:
        DocumentDependency.objects.filter(key__in=deleted).delete()
        StoredDocument.objects.filter(key__in=deleted).delete()


def page_targets(pages):
    """The targets of changed pages: their keys and ids."""
    targets = set()
    for page in pages:
        targets.add(key_target(page.translation_key))
        targets.add(f"page:{page.pk}")
    return targets


def descendant_keys(page):
    """The keys and ids of the pages below ``page``: a part's chapters name it, a book's cite it."""
    rows = Page.objects.descendant_of(page).values_list("pk", "translation_key", "content_type__model")
    return {key_target(key) for _pk, key, _model in rows} | {f"page:{pk}" for pk, _key, _model in rows}


def page_content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk
