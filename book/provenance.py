"""Where the words of a language version come from: who translated it, from what, and who approved it.

The translation tools record it with each revision they write (``TranslationCoverage``:
the people who wrote the segments, the segments still as a machine left them, the
source revision translated) and the review workflow's approval is added when the
revision is published. An editor may credit other translators for an item in one
language (``TranslationCredit``). The API, the editions' colophons and the reading
preview all credit translators through :func:`credited_translators`.
"""

from django.conf import settings

from .models import TranslationCoverage, TranslationCredit


def original_locale(item):
    """The language ``item`` was first written in: a chapter says so, anything else is in the book's language."""
    return getattr(item, "original_language", "") or settings.BOOK_SOURCE_LANGUAGE


def credited_translators(coverage, credit):
    """The translators credited for a version: those an editor named, or else those the tools recorded."""
    if credit is not None and credit.translators:
        return list(credit.translators)
    return list(coverage.translators) if coverage is not None else []


def coverages(revision_ids):
    """``{revision id: TranslationCoverage}`` of these revisions (one query, none without revisions)."""
    revision_ids = {revision_id for revision_id in revision_ids if revision_id}
    if not revision_ids:
        return {}
    return {
        coverage.revision_id: coverage
        for coverage in TranslationCoverage.objects.filter(revision_id__in=revision_ids)
    }


def credits(items):
    """``{(translation key, locale id): TranslationCredit}`` of these items (one query, none without items)."""
    keys = {item.translation_key for item in items}
    if not keys:
        return {}
    return {
        (credit.translation_key, credit.locale_id): credit
        for credit in TranslationCredit.objects.filter(
            translation_key__in=keys, locale_id__in={item.locale_id for item in items}
        )
    }


def translators_of(items, revision=lambda item: getattr(item, "live_revision_id", None)):
    """``{item pk: [names]}``: the translators credited for each item, as its revision ``revision(item)`` holds it.

    Two queries whatever the number of items.
    """
    recorded = coverages(revision(item) for item in items)
    named = credits(items)
    return {
        item.pk: credited_translators(
            recorded.get(revision(item)), named.get((item.translation_key, item.locale_id))
        )
        for item in items
    }


def all_translators(items):
    """The translators of a set of items, once each, in alphabetical order (an edition's colophon)."""
    names = {name for credited in translators_of(items).values() for name in credited}
    return sorted(names, key=str.lower)
