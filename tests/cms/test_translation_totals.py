"""The stored sums of words and segments behind the queues and the grid: never stale, whatever changes."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_localize.models import String, StringSegment, StringTranslation, TranslationSource

from cms.localization.models import ItemTotals, TranslationTotals
from cms.localization.state import item_states
from cms.localization.sync import sync_source
from tests.cms.localization_support import make_book, make_locales, publish, start, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


@pytest.fixture
def book(locales):
    return make_book(chapters=3)


def counts(locales):
    """{(item ref, language): (segments, translated, words, words left)} as the queues show them."""
    states = item_states(list(locales), with_words=True)
    return {
        (state.item.ref, state.locale.language_code): (
            state.total_segments,
            state.translated_segments,
            state.words_total,
            state.words_left,
        )
        for per_locale in states.values()
        for state in per_locale
    }


def recounted(locales):
    """The same, counted from scratch: no stored sum is used."""
    ItemTotals.objects.all().delete()
    TranslationTotals.objects.all().delete()
    return counts(locales)


def stored(instance, locale):
    return TranslationTotals.objects.get(translation_key=instance.translation_key, locale=locale)


def test_sums_are_stored_on_first_use_and_read_back_without_counting(
    book, locales, django_assert_num_queries
):
    en = locales["en"]
    start(book.chapters[0], en)
    first = counts([en])
    assert ItemTotals.objects.count() == book.item_count
    assert (
        stored(book.chapters[0], en).words_left
        == first[(f"page:{book.chapters[0].translation_key}", "en")][3]
    )

    # Read back: neither the segments nor the strings are asked for again.
    with CaptureQueriesContext(connection) as captured:
        again = counts([en])
    assert again == first
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert StringSegment._meta.db_table not in sql
    assert String._meta.db_table not in sql


def test_a_translated_string_saved_or_deleted_changes_the_sums_of_its_language(book, locales):
    en, es = locales["en"], locales["es"]
    chapter = book.chapters[0]
    start(chapter, en)
    start(chapter, es)
    key = (f"page:{chapter.translation_key}", "en")
    before = counts([en, es])
    assert before[key][1] == 0 and before[key][3] > 0

    translate(chapter, en, count=1)
    after = counts([en, es])
    assert after[key][1] == 1
    assert 0 < after[key][3] < before[key][3]
    assert stored(chapter, en).words_left == after[key][3]
    # The other language's sums are kept as they were.
    assert after[(key[0], "es")] == before[(key[0], "es")]

    StringTranslation.objects.filter(locale=en).delete()
    assert counts([en, es])[key] == before[key]


@pytest.mark.parametrize("counted_before", [False, True], ids=["first count", "count again"])
def test_a_count_that_races_a_translators_save_is_not_stored_over_it(
    book, locales, monkeypatch, counted_before
):
    """A queue counts while a translator saves a segment: its older count must not be kept."""
    from cms.localization import totals

    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    key = (f"page:{chapter.translation_key}", "en")
    if counted_before:
        counts([en])
        translate(chapter, en, count=1)  # marks the stored sums stale: the next read counts again
    count_translated = totals.count_translated

    def count_then_save(*args):
        counted = count_translated(*args)
        # The translator's save lands after the queue counted and before it stores its count.
        translate(chapter, en, count=2)
        return counted

    monkeypatch.setattr(totals, "count_translated", count_then_save)
    raced = counts([en])
    monkeypatch.setattr(totals, "count_translated", count_translated)

    assert raced[key][1] == (1 if counted_before else 0)  # what the racing read counted, shown once
    assert stored(chapter, en).counted_from == "", "the older count replaced the translator's mark"
    assert counts([en])[key][1] == 2
    assert counts([en]) == recounted([en])


def test_a_translated_string_found_wrong_no_longer_counts(book, locales):
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    translate(chapter, en, count=1)
    key = (f"page:{chapter.translation_key}", "en")
    assert counts([en])[key][1] == 1

    string_translation = StringTranslation.objects.get(locale=en)
    string_translation.has_error = True
    string_translation.save(update_fields=["has_error"])

    assert counts([en])[key][1] == 0


def test_a_source_synced_after_a_change_is_counted_again(book, locales):
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    key = (f"page:{chapter.translation_key}", "en")
    before = counts([en])[key]

    chapter.body = [("paragraph", "<p>Un texte bien plus long que le premier, avec des mots en plus.</p>")]
    publish(chapter)
    sync_source(TranslationSource.objects.get(object_id=chapter.translation_key), en)

    after = counts([en])[key]
    assert after[2] > before[2]
    assert after == recounted([en])[key]


def test_an_item_not_started_is_counted_again_when_published_again(book, locales):
    en = locales["en"]
    chapter = book.chapters[1]
    key = (f"page:{chapter.translation_key}", "en")
    before = counts([en])[key]

    chapter.body = [("paragraph", "<p>Un texte bien plus long que le premier, avec des mots en plus.</p>")]
    publish(chapter)

    after = counts([en])[key]
    assert after[2] > before[2]
    assert ItemTotals.objects.get(translation_key=chapter.translation_key).words == after[2]


def test_sums_counted_from_another_source_are_not_used(book, locales):
    """A database restored from an older backup, or filled before the sums existed, is right on first use."""
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    translate(chapter, en, count=1)
    right = counts([en])
    ItemTotals.objects.update(counted_from="elsewhere", words=999, segments=999)
    TranslationTotals.objects.update(counted_from="elsewhere", words_left=999, translated_segments=999)

    assert counts([en]) == right


def test_rebuild_command_counts_everything_again(book, locales):
    en = locales["en"]
    chapter = book.chapters[0]
    start(chapter, en)
    right = counts(list(locales.values()))
    # Sums written behind the queues' back, e.g. by raw SQL: the command puts them right.
    ItemTotals.objects.update(words=999)
    TranslationTotals.objects.update(words_left=999)
    ItemTotals.objects.filter(translation_key=book.chapters[2].translation_key).delete()

    out = StringIO()
    call_command("rebuild_translation_totals", stdout=out)

    # Said in the language of the command's output: the number of items, and of languages.
    assert f"{book.item_count} " in out.getvalue() and f" {len(locales)} " in out.getvalue()
    assert not ItemTotals.objects.filter(words=999).exists()
    assert ItemTotals.objects.count() == book.item_count
    assert TranslationTotals.objects.count() == len(locales)
    assert counts(list(locales.values())) == right


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_sums_equal_a_count_from_scratch_after_any_sequence_of_changes(book, locales, seed):
    chance = random.Random(seed)
    languages = [locales["en"], locales["ar"]]
    items = [*book.chapters, book.part, book.theme]

    def start_one():
        item, locale = chance.choice(items), chance.choice(languages)
        if not TranslationSource.objects.filter(object_id=item.translation_key).exists() or not (
            item.get_translation_or_none(locale)
        ):
            start(item, locale)

    def translate_some():
        source = TranslationSource.objects.order_by("?").first()
        if source is None:
            return
        locale = chance.choice(languages)
        segment = StringSegment.objects.filter(source=source).order_by("?").select_related("string").first()
        if segment:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context_id=segment.context_id,
                defaults={"data": "[t] " + segment.string.data, "translation_type": "manual"},
            )

    def untranslate_one():
        found = StringTranslation.objects.order_by("?").first()
        if found:
            found.delete()

    def rewrite_and_sync():
        item = chance.choice(book.chapters)
        item.body = [("paragraph", f"<p>{' '.join(['mot'] * chance.randint(1, 30))} nouveau.</p>")]
        publish(item)
        source = TranslationSource.objects.filter(object_id=item.translation_key).first()
        if source and chance.random() < 0.7:
            sync_source(source, chance.choice(languages))

    operations = [start_one, translate_some, translate_some, untranslate_one, rewrite_and_sync]
    for _step in range(12):
        chance.choice(operations)()
        shown = counts(languages)
        assert shown == recounted(languages)
