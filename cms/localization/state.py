"""Where the translation of every item of the book stands, in each target language.

:func:`book_items` lists what there is to translate: the pages of every
source-language book (the book, its parts and chapters, the contributor and
theme indexes, contributors and themes), then the cities and sectors.
:func:`item_states` tells, for some target locales, the state of each item
(not started, in progress with a percentage, source changed since the last
sync, awaiting review, published), how many words are left, and who it is
assigned to. Both run a fixed number of queries, whatever the size of the
book: everything is loaded in bulk and put together in Python.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Func
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import Translation, TranslationSource

from book import kinds

from .totals import totals, with_keys

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SOURCE_CHANGED = "source_changed"
AWAITING_REVIEW = "awaiting_review"
PUBLISHED = "published"

STATE_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    SOURCE_CHANGED: _("Source changed"),
    AWAITING_REVIEW: _("Awaiting review"),
    PUBLISHED: _("Published"),
}

# Drawn beside each state's name, so that the state never rests on colour alone.
STATE_ICONS = {
    NOT_STARTED: "radio-empty",
    IN_PROGRESS: "edit",
    SOURCE_CHANGED: "warning",
    AWAITING_REVIEW: "time",
    PUBLISHED: "circle-check",
}

# What a translator should do first: bring outdated work back in line with the
# source, then finish what is started, then start something new. Work waiting
# for a reviewer or done is at the bottom.
STATE_RANK = {SOURCE_CHANGED: 0, IN_PROGRESS: 1, NOT_STARTED: 2, AWAITING_REVIEW: 3, PUBLISHED: 4}
FINISHED_STATES = {AWAITING_REVIEW, PUBLISHED}
# How far ahead the dashboard warns of due dates.
DUE_SOON_DAYS = 7

# The kinds of the book (``book.kinds``) and the index pages that hold some of them.
PAGE_KINDS = {kind.model: (kind.name, kind.title) for kind in kinds.pages()} | {
    kind.index_model: (f"{kind.name}_index", kind.index_label)
    for kind in kinds.pages()
    if kind.index_model_label
}
SNIPPET_KINDS = {kind.model: (kind.name, kind.title) for kind in kinds.snippets()}
KIND_LABELS = dict([*PAGE_KINDS.values(), *SNIPPET_KINDS.values()])


class Microseconds(Func):
    """A moment as whole microseconds since 1970, NULL for none.

    The queue reads a moment for every item of the book and compares them: read as
    integers, thousands of them cost a fraction of what as many timezone-aware
    datetimes do, and they compare and fingerprint exactly the same.
    """

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: EXTRACT(EPOCH ...) is an exact numeric there, so no microsecond is lost.
        return super().as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite holds Django's datetimes as text in UTC, "YYYY-MM-DD HH:MM:SS" then ".ffffff" unless
        # the microseconds are nought: whole seconds from strftime (given the seconds alone, which it
        # would otherwise round), the microseconds from the text.
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER) * 1000000"
            f" + CAST(COALESCE(NULLIF(substr({sql}, 21, 6), ''), '0') AS INTEGER))",
            params * 2,
        )


def moment(microseconds):
    """The aware datetime of :class:`Microseconds`."""
    if microseconds is None:
        return None
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=microseconds)


@dataclass
class Item:
    """Something of the source-language book that can be translated.

    ``published`` is when it was last published, in :class:`Microseconds`.
    """

    key: object
    kind: str
    title: str
    model: type
    source_pk: int
    position: tuple
    depth: int = 0
    part_key: object = None
    published: int | None = None

    @property
    def last_published_at(self):
        return moment(self.published)

    @cached_property
    def ref(self):
        """How forms name the item: its family (page, city, sector) and its translation key."""
        family = "page" if self.model is Page else self.model._meta.model_name
        return f"{family}:{self.key}"

    @property
    def translation_key(self):
        """The key sync functions look items up by, as they would on the source page or snippet."""
        return self.key

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    def source_instance(self):
        instance = self.model.objects.get(pk=self.source_pk)
        return instance.specific if isinstance(instance, Page) else instance


@dataclass
class ItemState:
    """One item in one target locale."""

    item: Item
    locale: Locale
    state: str = NOT_STARTED
    total_segments: int = 0
    translated_segments: int = 0
    words_left: int | None = None
    words_total: int | None = None
    translation_pk: int | None = None
    source_pk: int | None = None
    target_pk: int | None = None
    target_title: str = ""
    assignment: object = None

    @property
    def percent(self):
        if self.state == PUBLISHED:
            return 100
        if self.translation_pk is None:
            return 0
        if not self.total_segments:
            return 100
        # Rounded down, so that 100 % means every segment is translated.
        return self.translated_segments * 100 // self.total_segments

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def state_icon(self):
        return STATE_ICONS[self.state]

    @property
    def is_finished(self):
        return self.state in FINISHED_STATES

    @property
    def started(self):
        return self.state != NOT_STARTED

    @property
    def assignee(self):
        return self.assignment.assignee if self.assignment else None

    @property
    def due_date(self):
        return self.assignment.due_date if self.assignment else None

    @property
    def is_overdue(self):
        return bool(self.due_date and not self.is_finished and self.due_date < date.today())

    @cached_property
    def edit_url(self):
        """The translated item's edit view, which wagtail-localize turns into its translation editor."""
        if self.target_pk is None:
            return None
        if self.item.model is Page:
            return reverse("wagtailadmin_pages:edit", args=[self.target_pk])
        meta = self.item.model._meta
        return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[self.target_pk])

    @property
    def work_url(self):
        """Where to go next for this item in this language: its translation editor once started,
        else the language's queue narrowed to it (where it is started, or synced)."""
        if self.started and self.state != SOURCE_CHANGED and self.edit_url:
            return self.edit_url
        queue = reverse("localization:queue", args=[self.locale.language_code])
        return f"{queue}?{urlencode({'item': self.item.ref})}"

    @property
    def is_due_soon(self):
        """Due within :data:`DUE_SOON_DAYS` days, or overdue, and not finished."""
        return bool(
            self.due_date
            and not self.is_finished
            and self.due_date <= date.today() + timedelta(days=DUE_SOON_DAYS)
        )

    def sort_key(self):
        due = self.due_date or date.max
        return (self.is_finished, due, STATE_RANK[self.state], self.item.position)


def floor_percent(part, whole, decimals=1):
    """``part`` of ``whole`` in per cent, rounded down to ``decimals`` places: 100 only when all is done."""
    if not whole:
        return 0
    scale = 10**decimals
    value = part * 100 * scale // whole
    return value // scale if decimals == 0 else value / scale


@dataclass
class LocaleProgress:
    """How far one language is, over every item of the book.

    ``percent`` is the share of the book's words translated: the words of every
    translated segment over the words of every item's segments (for an item not
    started, the words its segments will have), rounded down to a tenth of a
    per cent, so that any translated segment shows and 100 means all is done.
    ``published_percent`` is the share of items published, rounded down too.
    """

    locale: Locale
    total: int = 0
    counts: dict = field(default_factory=dict)
    words_total: int = 0
    words_left: int = 0

    @property
    def words_done(self):
        return self.words_total - self.words_left

    @property
    def percent(self):
        return floor_percent(self.words_done, self.words_total)

    @property
    def published(self):
        return self.counts.get(PUBLISHED, 0)

    @property
    def published_percent(self):
        return floor_percent(self.published, self.total)

    @property
    def in_progress(self):
        return self.total - self.counts.get(NOT_STARTED, 0) - self.published

    def breakdown(self):
        return [(STATE_LABELS[state], self.counts.get(state, 0)) for state in STATE_RANK]


def source_locale():
    return Locale.get_default()


def _page_content_types():
    by_model = ContentType.objects.get_for_models(*PAGE_KINDS)
    return {content_type.pk: model for model, content_type in by_model.items()}


def book_items(source=None):
    """Every translatable item of the source-language books, in reading order (four queries).

    Only what is live in the source language is there to translate: a draft
    never published, or a chapter scheduled to go live later, is not work yet
    (its text may still change before readers see it). It joins the queues
    when it is published, and leaves them if it is unpublished.
    """
    source = source or source_locale()
    page_types = _page_content_types()
    kinds_by_type = {pk: PAGE_KINDS[model][0] for pk, model in page_types.items()}
    rows = (
        Page.objects.filter(locale=source, content_type_id__in=page_types, live=True)
        .order_by("path")
        .values_list(
            "pk",
            "path",
            "depth",
            "title",
            "translation_key",
            "content_type_id",
            Microseconds("last_published_at"),
        )
    )
    items = []
    part_paths = {}
    steplen = Page.steplen
    for pk, path, depth, title, key, content_type_id, published in rows:
        kind = kinds_by_type[content_type_id]
        if kind == "part":
            part_paths[path] = key
        items.append(
            Item(
                key=key,
                kind=kind,
                title=title,
                model=Page,
                source_pk=pk,
                position=(0, path),
                depth=depth,
                part_key=part_paths.get(path[:-steplen] if kind == "chapter" else path),
                published=published,
            )
        )
    for rank, model in enumerate(SNIPPET_KINDS, start=1):
        kind = SNIPPET_KINDS[model][0]
        for pk, name, key, published in model.objects.filter(locale=source, live=True).values_list(
            "pk", "name", "translation_key", Microseconds("last_published_at")
        ):
            items.append(
                Item(
                    key=key,
                    kind=kind,
                    title=name,
                    model=model,
                    source_pk=pk,
                    position=(rank, name.casefold(), pk),
                    published=published,
                )
            )
    return items


def source_rows(source):
    """The translation sources of the source locale: {key integer: (source pk, when it was last read)}.

    Keyed by the integer of the translation key (``item.key.int``), as :func:`.totals.totals`
    wants; the moment is in :class:`Microseconds`. One query.
    """
    return {
        key.int: (pk, read)
        for pk, key, read in TranslationSource.objects.filter(locale=source).values_list(
            "pk", "object_id", Microseconds("last_updated_at")
        )
    }


class Target(NamedTuple):
    """An item's version in a target locale, as the queue needs it."""

    pk: int
    title: str
    live: bool
    has_unpublished_changes: bool
    is_alias: bool


def _targets(items, locales):
    """The existing versions of the items in the target locales (three queries).

    ``{locale pk: {key integer: (model, Target)}}``, keyed as :func:`.totals.totals` is.
    """
    locale_ids = [locale.pk for locale in locales]
    targets = {locale_id: {} for locale_id in locale_ids}
    page_keys = [item.key for item in items if item.model is Page]
    wanted = {key.int for key in page_keys}
    pages = Page.objects.filter(locale_id__in=locale_ids)
    for pk, title, key, locale_id, live, changed, alias_of_id in with_keys(pages, page_keys).values_list(
        "pk", "title", "translation_key", "locale_id", "live", "has_unpublished_changes", "alias_of_id"
    ):
        if key.int in wanted:
            targets[locale_id][key.int] = (Page, Target(pk, title, live, changed, alias_of_id is not None))
    for model in SNIPPET_KINDS:
        keys = [item.key for item in items if item.model is model]
        wanted = {key.int for key in keys}
        snippets = model.objects.filter(locale_id__in=locale_ids)
        for pk, name, key, locale_id, live, changed in with_keys(snippets, keys).values_list(
            "pk", "name", "translation_key", "locale_id", "live", "has_unpublished_changes"
        ):
            if key.int in wanted:
                targets[locale_id][key.int] = (model, Target(pk, name, live, changed, False))
    return targets


def _in_review(targets):
    """The (model, pk) of the pages and snippets of the targets' kinds whose review is running (one query).

    Running reviews are few beside the items of a book: all those of the targets' kinds
    are read, and each target looked up among them.
    """
    found = {model for per_locale in targets.values() for model, _target in per_locale.values()}
    models = {ContentType.objects.get_for_model(model).pk: model for model in found}
    if not models:
        return set()
    running = WorkflowState.objects.filter(
        # A rejected translation ("needs changes") is back with its translator, not awaiting review.
        base_content_type_id__in=list(models),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).values_list("base_content_type_id", "object_id")
    return {(models[content_type_id], int(object_id)) for content_type_id, object_id in running}


def _assignments(locale_ids):
    """The items given to translators: {locale pk: {key integer: Assignment}} (one query)."""
    from .models import Assignment

    assignments = {locale_id: {} for locale_id in locale_ids}
    for assignment in Assignment.objects.filter(locale_id__in=locale_ids).select_related("assignee"):
        assignments[assignment.locale_id][assignment.object_id.int] = assignment
    return assignments


def item_states(locales, items=None, source=None, with_words=False):
    """The state of every item in each of ``locales``: {locale pk: [ItemState, ...]} in reading order.

    A fixed number of queries (about a dozen), whatever the number of items:
    the segments and words come from the stored sums of :mod:`.totals`.
    """
    source = source or source_locale()
    items = book_items(source) if items is None else items
    locale_ids = [locale.pk for locale in locales]
    targets = _targets(items, locales)
    sources = source_rows(source)
    translations = {locale_id: {} for locale_id in locale_ids}
    for pk, source_id, locale_id in Translation.objects.filter(
        source__locale=source, target_locale_id__in=locale_ids, enabled=True
    ).values_list("pk", "source_id", "target_locale_id"):
        translations[locale_id][source_id] = pk
    in_review = _in_review(targets)
    assignments = _assignments(locale_ids)
    item_totals, translation_totals = totals(items, sources, locale_ids)

    # What does not depend on the language, once per item: the loop below runs for every
    # item in every language, thousands of times for the grid.
    nothing = (None, None)
    per_item = []
    for item in items:
        key = item.key.int
        per_item.append((item, key, *sources.get(key, nothing), *item_totals[key]))
    result = {}
    for locale in locales:
        states = []
        append = states.append
        locale_pk = locale.pk
        targets_here = targets[locale_pk]
        translated_here = translation_totals[locale_pk]
        translations_here = translations[locale_pk]
        assignments_here = assignments[locale_pk]
        for item, key, source_pk, read, segments, words in per_item:
            found = targets_here.get(key)
            target = found[1] if found is not None and found[0] is item.model else None
            if target is not None and target.is_alias:
                # An alias only mirrors the source: nothing of it is translated yet.
                target = None
            translated, words_left = translated_here.get(key, (0, words))
            state = ItemState(
                item=item,
                locale=locale,
                translation_pk=translations_here.get(source_pk),
                source_pk=source_pk,
                target_pk=target.pk if target else None,
                target_title=target.title if target else "",
                total_segments=segments,
                translated_segments=translated,
                assignment=assignments_here.get(key),
            )
            state.state = _state(item, state, read, target, in_review)
            if with_words:
                state.words_total = words
                state.words_left = 0 if state.state == PUBLISHED else words_left
            append(state)
        result[locale_pk] = states
    return result


def _state(item, state, read, target, in_review):
    """The state of ``item``; ``read`` is when its source was last read for translation (:class:`Microseconds`)."""
    if target is not None and (item.model, target.pk) in in_review:
        return AWAITING_REVIEW
    if state.translation_pk is None:
        # A live version made outside wagtail-localize was translated by hand. A draft one is
        # a copy of the source that wagtail-localize left when it translated a child page
        # (the parents come along): starting its translation takes it over.
        if target is not None and target.live:
            return PUBLISHED
        return NOT_STARTED
    if item.published is not None and read is not None and item.published > read:
        return SOURCE_CHANGED
    if (
        target is not None
        and target.live
        and not target.has_unpublished_changes
        and state.translated_segments >= state.total_segments
    ):
        return PUBLISHED
    return IN_PROGRESS


def locale_progress(states_by_locale, locales):
    """Totals per locale for progress bars: {locale pk: LocaleProgress}; the states need their words."""
    progress = {}
    for locale in locales:
        summary = LocaleProgress(locale=locale)
        for state in states_by_locale.get(locale.pk, []):
            summary.total += 1
            summary.counts[state.state] = summary.counts.get(state.state, 0) + 1
            summary.words_total += state.words_total or 0
            summary.words_left += state.words_left or 0
        progress[locale.pk] = summary
    return progress


def find_items(refs, source=None):
    """The items that forms name by :attr:`Item.ref`, in reading order; unknown refs are left out."""
    wanted = set(refs)
    return [item for item in book_items(source) if item.ref in wanted]
