"""Bulk synchronisation: bring every translation of a locale up to date with its French source.

wagtail-localize keeps one ``TranslationSource`` per source object: a frozen copy of the
source's content, split into segments, which every target locale translates. When the
source is published again the frozen copy goes stale. Syncing re-extracts it: a segment
whose text is unchanged keeps its translation, a segment whose text changed has no
translation for its new text (it reopens) while the translation of the old text stays
stored, and nothing a translator wrote (``StringTranslation``, ``SegmentOverride``) is ever
modified or deleted. Translated pages and snippets are not touched either: the translator's
next save in the translation editor applies the new source.

The frozen copy is shared by every target locale, so syncing an item for one locale also
reopens its changed segments for the others.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import DateTimeField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin, Locale, Page, get_translatable_models
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from cms.permissions import translatable_locales


class NotATargetLocale(ValueError):
    """The language asked for is unknown, or is the source language, which nobody translates into."""


def target_locale(locale):
    """The target ``Locale`` for a ``Locale`` or a language code; refuses the source language."""
    code = locale.language_code if isinstance(locale, Locale) else str(locale)
    if code == settings.BOOK_SOURCE_LANGUAGE:
        raise NotATargetLocale(
            _("'%(code)s' is the source language of the book: it is translated from, not into.")
            % {"code": code}
        )
    targets = {target.language_code: target for target in translatable_locales()}
    if code not in targets:
        raise NotATargetLocale(
            _("Unknown language '%(code)s'. Target languages: %(known)s.")
            % {"code": code, "known": ", ".join(targets)}
        )
    return targets[code]


def _source_published_at():
    """When each source's object was last published, for every translatable model that publishes."""
    published_at = []
    for model in get_translatable_models():
        if not (issubclass(model, Page) or issubclass(model, DraftStateMixin)):
            continue
        published_at.append(
            Subquery(
                model._default_manager.filter(
                    translation_key=OuterRef("object_id"), locale_id=OuterRef("locale_id")
                ).values("last_published_at")[:1],
                output_field=DateTimeField(),
            )
        )
    if len(published_at) == 1:
        return published_at[0]
    return Coalesce(*published_at, output_field=DateTimeField())


def translation_sources(locale):
    """The sources translated into ``locale`` (by an enabled translation), from the source language."""
    locale = target_locale(locale)
    return TranslationSource.objects.filter(
        locale__language_code=settings.BOOK_SOURCE_LANGUAGE,
        translations__target_locale=locale,
        translations__enabled=True,
    )


def out_of_date_sources(locale):
    """Sources translated into ``locale`` whose object was published after they were last extracted."""
    return (
        translation_sources(locale)
        .annotate(source_published_at=_source_published_at())
        .filter(source_published_at__gt=F("last_updated_at"))
        .order_by("object_repr", "pk")
    )


@dataclass
class SyncedItem:
    """What a sync did to one item, counted in segments of the target locale.

    ``reopened`` counts the segments that were translated before the sync and no
    longer are, their source text having changed; ``kept`` those translated
    before and after; ``untranslated`` those that were not translated before the
    sync either (the translator had not got to them, or they are new in the
    source); ``removed`` the segments the source no longer has.
    """

    source: TranslationSource
    kept: int = 0
    reopened: int = 0
    untranslated: int = 0
    removed: int = 0
    error: str = ""

    @property
    def label(self):
        return self.source.object_repr


@dataclass
class SyncReport:
    locale: Locale
    items: list = field(default_factory=list)

    @property
    def synced(self):
        return [item for item in self.items if not item.error]

    @property
    def failed(self):
        return [item for item in self.items if item.error]

    @property
    def kept(self):
        return sum(item.kept for item in self.items)

    @property
    def reopened(self):
        return sum(item.reopened for item in self.items)

    @property
    def untranslated(self):
        return sum(item.untranslated for item in self.items)

    @property
    def removed(self):
        return sum(item.removed for item in self.items)

    def summary(self):
        return _(
            "%(items)s items synced: %(kept)s translated segments kept, %(reopened)s segments to "
            "translate again because their source changed, %(untranslated)s still untranslated, "
            "%(removed)s removed from the source."
        ) % {
            "items": len(self.synced),
            "kept": self.kept,
            "reopened": self.reopened,
            "untranslated": self.untranslated,
            "removed": self.removed,
        }


def _segments(source):
    """{context (the segment's place in the item): string} for the segments of ``source``."""
    return dict(StringSegment.objects.filter(source=source).values_list("context_id", "string_id"))


def _translated_keys(locale, keys):
    """Which (string, context) pairs of ``keys`` have a usable translation into ``locale``."""
    if not keys:
        return set()
    strings = {string_id for string_id, _context_id in keys}
    contexts = {context_id for _string_id, context_id in keys}
    rows = StringTranslation.objects.filter(
        locale=locale, translation_of_id__in=strings, context_id__in=contexts, has_error=False
    ).values_list("translation_of_id", "context_id")
    return set(rows) & keys


def sync_source(source, locale):
    """Re-extracts one source; counts what that did to the translation into ``locale``."""
    item = SyncedItem(source=source)
    before = _segments(source)
    try:
        source.update_from_db()
    except ObjectDoesNotExist:
        item.error = _("The source of '%(item)s' was deleted.") % {"item": source.object_repr}
        return item
    after = _segments(source)
    keys = {(string_id, context_id) for context_id, string_id in [*before.items(), *after.items()]}
    translated = _translated_keys(locale, keys)
    for context_id, string_id in after.items():
        if (string_id, context_id) in translated:
            item.kept += 1
        elif context_id in before and (before[context_id], context_id) in translated:
            item.reopened += 1
        else:
            item.untranslated += 1
    item.removed = len(before.keys() - after.keys())
    return item


def _sources_for(locale, items):
    """Normalises ``items`` (sources, or source-language pages and snippets) to sources of ``locale``."""
    wanted = Q(pk__in=[])
    for item in items:
        if isinstance(item, TranslationSource):
            wanted |= Q(pk=item.pk)
        else:
            wanted |= Q(object_id=item.translation_key)
    return translation_sources(locale).filter(wanted).order_by("object_repr", "pk")


def sync_locale(locale, user=None, items=None, progress=None):
    """Syncs every out-of-date source translated into ``locale``, or only ``items``.

    ``items`` may hold ``TranslationSource`` objects or the source-language pages and
    snippets themselves; those are synced even when they look up to date. ``progress``,
    if given, is called as ``progress(label, total)`` and returns an object with
    ``update(count=1)`` and ``close()``. ``user`` is who asked for the sync; re-extracting
    a source records no author, so it is unused for now.
    """
    locale = target_locale(locale)
    sources = list(out_of_date_sources(locale) if items is None else _sources_for(locale, items))
    report = SyncReport(locale=locale)
    bar = (
        progress(_("Sync %(locale)s") % {"locale": locale.language_code}, len(sources)) if progress else None
    )
    try:
        for source in sources:
            report.items.append(sync_source(source, locale))
            if bar:
                bar.update()
    finally:
        if bar:
            bar.close()
    return report
