"""How much of each item there is to translate, and how much is translated, stored per language.

Adding up the words of every segment of the book against every translated
string of a language is the costly part of a queue or of the grid. The sums
are kept in the database instead (:class:`~cms.localization.models.ItemTotals`
per item, :class:`~cms.localization.models.TranslationTotals` per item and
language) and read back as plain rows.

A stored sum is never trusted blindly. Each names what it was counted from:
the item's translation source and the moment it was last read (its segments
change only then), or, for an item not started, the item and its last
publication (its future segments change only then). A sum counted from
anything else is stale, and is counted again the first time it is needed, so
that a database that never had sums, or was restored from an older backup,
is right without anyone running a command. What the fingerprint cannot see,
a translated string saved or deleted, marks the sums of its item in its
language stale in the same transaction (:func:`connect_signals`), and a sum
counted meanwhile is not written over that mark (:func:`_store_translated`).
"""

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from wagtail_localize.models import String

from book.text import count_words

from .models import ItemTotals, StringWords, TranslationTotals

# Past this many keys, rows are read by language alone and those wanted kept in Python:
# at the book's scale, building and sending an IN list of thousands of keys costs more
# than the few rows it would leave out.
MANY_KEYS = 200


def with_keys(queryset, keys, field="translation_key"):
    """``queryset`` narrowed to ``keys``, unless they are many (see :data:`MANY_KEYS`): the caller keeps those wanted."""
    return queryset if len(keys) > MANY_KEYS else queryset.filter(**{f"{field}__in": list(keys)})


def count_string_words(sources):
    """Count, once, the words of the strings of ``sources`` not counted yet (one query when all are).

    A string's words never change, so each is counted the first time a queue
    needs it and stored (:class:`~cms.localization.models.StringWords`).
    """
    missing = (
        String.objects.filter(segments__source__in=sources, book_words__isnull=True)
        .distinct()
        .values_list("pk", "data")
    )
    counted = [StringWords(string_id=pk, words=count_words(data)) for pk, data in missing]
    if counted:
        StringWords.objects.bulk_create(counted, batch_size=2000, ignore_conflicts=True)


def segment_words(instance):
    """The words of the segments wagtail-localize will extract from ``instance`` when its translation starts."""
    from wagtail_localize.segments import StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments

    return sum(
        count_words(segment.string.data)
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue)
    )


def source_fingerprint(source_row):
    """``source_row`` is ``(source pk, when it was last read)``, as :func:`~.state.source_rows` gives it."""
    pk, read = source_row
    return f"source:{pk}:{read}"


def item_fingerprint(item):
    published = item.published if item.published is not None else "draft"
    return f"{item.ref}:{item.source_pk}:{published}"


def _fingerprint(item, source_row):
    return source_fingerprint(source_row) if source_row is not None else item_fingerprint(item)


def count_sources(source_pks):
    """{source pk: (segments, words)}, counted from the segments (two queries, one more to count new strings)."""
    from wagtail_localize.models import StringSegment

    if not source_pks:
        return {}
    segments = StringSegment.objects.filter(source_id__in=source_pks)
    count_string_words(source_pks)
    counted = {
        source_id: (segments_count, words or 0)
        for source_id, segments_count, words in segments.values("source_id")
        .annotate(n=Count("pk"), words=Sum("string__book_words__words"))
        .values_list("source_id", "n", "words")
    }
    return {pk: counted.get(pk, (0, 0)) for pk in source_pks}


def count_translated(source_pks, locale_ids):
    """{(source pk, locale pk): (translated segments, their words)} for the pairs with any (one query)."""
    from wagtail_localize.models import StringSegment

    if not source_pks or not locale_ids:
        return {}
    rows = (
        StringSegment.objects.filter(
            source_id__in=source_pks,
            string__translations__locale_id__in=locale_ids,
            string__translations__context_id=F("context_id"),
            string__translations__has_error=False,
        )
        .values("source_id", "string__translations__locale_id")
        .annotate(n=Count("pk"), words=Sum("string__book_words__words"))
        .values_list("source_id", "string__translations__locale_id", "n", "words")
    )
    return {(source_id, locale_id): (n, words or 0) for source_id, locale_id, n, words in rows}


def totals(items, source_rows, locale_ids):
    """The stored sums of ``items``, counting again those missing or stale (two queries when none are).

    Items are named by the integer of their translation key (``item.key.int``): a book's
    thousands of items are looked up many times per language, and integers hash and
    compare in C where UUIDs do it in Python. ``source_rows`` is
    ``{key integer: (source pk, when it was last read)}`` (:func:`~.state.source_rows`).
    Returns ``({key integer: (segments, words)}, {locale pk: {key integer: (translated segments, words left)}})``;
    the second has an entry for every started item (one with a translation source) in each locale.
    """
    by_key = {item.key.int: item for item in items}
    expected = {key: _fingerprint(item, source_rows.get(key)) for key, item in by_key.items()}
    # {key: (counted from, segments, words)}
    per_item = {}
    for key, counted_from, segments, words in with_keys(
        ItemTotals.objects.all(), [item.key for item in items]
    ).values_list("translation_key", "counted_from", "segments", "words"):
        if key.int in by_key:
            per_item[key.int] = (counted_from, segments, words)
    started = [key for key in by_key if key in source_rows]
    # {locale pk: {key: (translated segments, words left)}}, for the sums still right; the
    # ``changes`` read of those to count again.
    by_locale = {locale_id: {} for locale_id in locale_ids}
    changes_read = {}
    if started and locale_ids:
        rows = with_keys(
            TranslationTotals.objects.filter(locale_id__in=locale_ids), [by_key[key].key for key in started]
        ).values_list(
            "translation_key", "locale_id", "counted_from", "translated_segments", "words_left", "changes"
        )
        wanted = set(started)
        for key, locale_id, counted_from, done, left, changes in rows:
            key = key.int
            if key not in wanted:
                continue
            if counted_from == expected[key]:
                by_locale[locale_id][key] = (done, left)
            else:
                changes_read[(key, locale_id)] = changes

    unknown = (None, 0, 0)
    stale = [key for key in by_key if per_item.get(key, unknown)[0] != expected[key]]
    if stale:
        counted = count_sources([source_rows[key][0] for key in stale if key in source_rows])
        fresh = []
        for key in stale:
            if key in source_rows:
                segments, words = counted[source_rows[key][0]]
            else:
                segments, words = 0, segment_words(by_key[key].source_instance())
            fresh.append(
                ItemTotals(
                    translation_key=by_key[key].key,
                    counted_from=expected[key],
                    segments=segments,
                    words=words,
                )
            )
            per_item[key] = (expected[key], segments, words)
        ItemTotals.objects.bulk_create(
            fresh,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["translation_key"],
            update_fields=["counted_from", "segments", "words"],
        )

    missing = [
        (key, locale_id) for locale_id in locale_ids for key in started if key not in by_locale[locale_id]
    ]
    if missing:
        translated = count_translated(
            list({source_rows[key][0] for key, _locale in missing}),
            list({locale_id for _key, locale_id in missing}),
        )
        fresh = []
        for key, locale_id in missing:
            done, done_words = translated.get((source_rows[key][0], locale_id), (0, 0))
            left = per_item[key][2] - done_words
            changes = changes_read.get((key, locale_id), 0)
            fresh.append((by_key[key].key, locale_id, expected[key], done, left, changes))
            by_locale[locale_id][key] = (done, left)
        _store_translated(fresh)

    return {key: row[1:] for key, row in per_item.items()}, by_locale


def _store_translated(rows):
    """Write the sums counted, ``(key, locale pk, counted from, segments, words left, changes read)``.

    A row is written only where its ``changes`` are still those read before
    counting: a translated string saved since then (:func:`forget_translated_string`)
    left a mark that this older count must not replace. One statement per thousand rows.
    """
    table = connection.ops.quote_name(TranslationTotals._meta.db_table)
    insert = (
        f"INSERT INTO {table} (translation_key, locale_id, counted_from, translated_segments, words_left, changes) "
        "VALUES {values} ON CONFLICT (translation_key, locale_id) DO UPDATE SET "
        "counted_from = excluded.counted_from, translated_segments = excluded.translated_segments, "
        f"words_left = excluded.words_left WHERE {table}.changes = excluded.changes"
    )
    uuid = TranslationTotals._meta.get_field("translation_key")
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            batch = rows[start : start + 1000]
            params = []
            for key, locale_id, counted_from, segments, left, changes in batch:
                params += [
                    uuid.get_db_prep_value(key, connection),
                    locale_id,
                    counted_from,
                    segments,
                    left,
                    changes,
                ]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(insert.format(values=values), params)


def forget_translated_string(sender, instance, **kwargs):
    """A translated string changed: its item's sums in its language are marked to be counted again.

    The mark is written, not the row deleted, and its ``changes`` go up by one, so that
    a count that started before this change and ends after it is not stored (:func:`_store_translated`).
    """
    from wagtail_localize.models import TranslationContext

    if instance.context_id is None:
        return
    keys = TranslationContext.objects.filter(pk=instance.context_id).values_list("object_id", flat=True)
    rows = [
        TranslationTotals(
            translation_key=key,
            locale_id=instance.locale_id,
            counted_from="",
            translated_segments=0,
            words_left=0,
            changes=1,
        )
        for key in keys
    ]
    if not rows:
        return
    TranslationTotals.objects.bulk_create(rows, ignore_conflicts=True)
    TranslationTotals.objects.filter(locale_id=instance.locale_id, translation_key__in=keys).update(
        counted_from="", changes=F("changes") + 1
    )


def connect_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail_localize.models import StringTranslation

    post_save.connect(forget_translated_string, sender=StringTranslation, dispatch_uid="localization_totals")
    post_delete.connect(
        forget_translated_string, sender=StringTranslation, dispatch_uid="localization_totals"
    )


def rebuild(items, source_rows, locale_ids):
    """Forget every stored sum, then count those of ``items`` in ``locale_ids`` again."""
    ItemTotals.objects.all().delete()
    TranslationTotals.objects.all().delete()
    return totals(items, source_rows, locale_ids)
