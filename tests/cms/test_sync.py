"""Bulk sync: out-of-date translations catch up with their source without losing a translator's work."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import (
    SegmentOverride,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.operations import TranslationCreator

from book.models import ChapterPage, City
from cms.localization.sync import NotATargetLocale, out_of_date_sources, sync_locale, sync_source
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the messages in English; the project's default language is French."""
    with translation.override("en"):
        yield


FIRST = "<p>La première phrase reste la même.</p>"
SECOND = "<p>La deuxième phrase va changer.</p>"
SECOND_REVISED = "<p>La deuxième phrase a changé.</p>"


def publish(instance):
    instance.save_revision().publish()
    instance.refresh_from_db()
    return instance


def translated_book(*language_codes):
    """A published French chapter and city, each translated into the given languages (English by default)."""
    locales = [Locale.objects.get_or_create(language_code=code)[0] for code in language_codes or ["en"]]
    book = publish(BookPageFactory(title="Le livre"))
    part = publish(PartPageFactory(parent=book, title="Première partie"))
    chapter = publish(
        ChapterPageFactory(
            parent=part,
            title="Le chapitre",
            body=[("paragraph", RichText(FIRST)), ("paragraph", RichText(SECOND))],
        )
    )
    city = publish(CityFactory(name="Cannes", country="France"))
    creator = TranslationCreator(None, locales)
    creator.create_translations(chapter)
    creator.create_translations(city)
    return chapter, city


def segment(source, text):
    return StringSegment.objects.select_related("string", "context").get(source=source, string__data=text)


def translate(source, locale, text, translation, translation_type="manual"):
    """What the translation editor stores when a translator types a translation of ``text``."""
    found = segment(source, text)
    return StringTranslation.objects.create(
        translation_of=found.string,
        context=found.context,
        locale=locale,
        data=translation,
        translation_type=translation_type,
    )


def source_of(instance):
    return TranslationSource.objects.get(object_id=instance.translation_key, locale=instance.locale)


def revise(chapter, *paragraphs):
    """Publishes new paragraphs for the chapter, as the editor does; by default its second one changes.

    Blocks keep their ids, as in the editor: translations are attached to a block by its id.
    """
    chapter = ChapterPage.objects.get(pk=chapter.pk)
    ids = [block.id for block in chapter.body]
    chapter.body = [
        {"type": "paragraph", "value": text, **({"id": ids[index]} if index < len(ids) else {})}
        for index, text in enumerate(paragraphs or (FIRST, SECOND_REVISED))
    ]
    chapter.save_revision().publish()
    return chapter


def translation_rows():
    return list(
        StringTranslation.objects.order_by("pk").values_list(
            "pk", "translation_of_id", "context_id", "locale_id", "data", "translation_type", "updated_at"
        )
    )


def test_item_published_after_its_last_sync_is_out_of_date():
    chapter, _city = translated_book()
    english = Locale.objects.get(language_code="en")
    assert list(out_of_date_sources(english)) == []

    revise(chapter)

    assert list(out_of_date_sources(english)) == [source_of(chapter)]
    assert list(out_of_date_sources("en")) == [source_of(chapter)]


def test_republished_snippet_is_out_of_date():
    _chapter, city = translated_book()
    city = City.objects.get(pk=city.pk)
    city.name = "Cannes-la-Bocca"
    city.save_revision().publish()

    assert list(out_of_date_sources("en")) == [source_of(city)]


def test_draft_of_the_source_does_not_make_it_out_of_date():
    chapter, _city = translated_book()
    chapter = ChapterPage.objects.get(pk=chapter.pk)
    chapter.body = [("paragraph", RichText("<p>Un brouillon.</p>"))]
    chapter.save_revision()

    assert list(out_of_date_sources("en")) == []


def test_out_of_date_only_counts_translations_into_that_locale():
    chapter, _city = translated_book("en")
    Locale.objects.create(language_code="es")
    revise(chapter)

    assert list(out_of_date_sources("es")) == []


def test_sync_keeps_unchanged_translations_and_reopens_changed_segments():
    chapter, _city = translated_book()
    english = Locale.objects.get(language_code="en")
    source = source_of(chapter)
    kept = translate(source, english, "La première phrase reste la même.", "The first sentence stays.")
    old = translate(source, english, "La deuxième phrase va changer.", "The second sentence will change.")
    revise(chapter)

    report = sync_locale(english)

    assert [item.source for item in report.synced] == [source]
    translation = Translation.objects.get(source=source, target_locale=english)
    total, translated = translation.get_progress()
    # Title, slug and both paragraphs: of the two translated paragraphs, the changed one reopened;
    # the title and slug were not translated before the sync, and are not counted as reopened.
    assert (total, translated) == (4, 1)
    assert (report.kept, report.reopened, report.untranslated, report.removed) == (1, 1, 2, 0)
    assert StringTranslation.objects.get(pk=kept.pk).data == "The first sentence stays."
    new_segment = segment(source, "La deuxième phrase a changé.")
    assert not StringTranslation.objects.filter(
        translation_of=new_segment.string, context=new_segment.context, locale=english
    ).exists()
    # The translation of the old text stays stored, for reference and for a later revert.
    assert StringTranslation.objects.get(pk=old.pk).data == "The second sentence will change."
    assert out_of_date_sources(english).count() == 0


def test_sync_never_overwrites_a_manual_edit():
    chapter, _city = translated_book()
    english = Locale.objects.get(language_code="en")
    source = source_of(chapter)
    translate(source, english, "La première phrase reste la même.", "A translator's own wording.")
    translate(source, english, "Le chapitre", "The chapter", translation_type="machine")
    overrides = list(SegmentOverride.objects.values_list("pk", "data_json"))
    revise(chapter)
    before = translation_rows()

    sync_locale(english)

    assert translation_rows() == before
    assert list(SegmentOverride.objects.values_list("pk", "data_json")) == overrides
    manual = StringTranslation.objects.get(data="A translator's own wording.")
    assert manual.translation_type == "manual"


def test_sync_leaves_the_translated_page_alone():
    chapter, _city = translated_book()
    english_chapter = ChapterPage.objects.get(locale__language_code="en")
    body_before = list(english_chapter.body.raw_data)
    revise(chapter)

    sync_locale("en")

    english_chapter.refresh_from_db()
    assert list(english_chapter.body.raw_data) == body_before


def test_sync_skips_items_that_are_up_to_date():
    chapter, city = translated_book()
    revise(chapter)
    city_source = source_of(city)
    last_updated = city_source.last_updated_at

    report = sync_locale("en")

    assert [item.label for item in report.items] == ["Le chapitre"]
    city_source.refresh_from_db()
    assert city_source.last_updated_at == last_updated


def test_sync_of_chosen_items_resyncs_them_even_if_up_to_date():
    chapter, city = translated_book()
    revise(chapter)

    report = sync_locale("en", items=[city])

    assert [item.label for item in report.items] == ["Cannes"]
    assert out_of_date_sources("en").count() == 1


def test_sync_reports_an_item_whose_source_was_deleted_meanwhile(settings):
    chapter, _city = translated_book()
    source = source_of(chapter)
    # Keep wagtail-localize's records of the deleted page, as a sync that started before the deletion sees them.
    settings.WAGTAILLOCALIZE_DISABLE_ON_DELETE = True
    ChapterPage.objects.get(pk=chapter.pk).delete()

    item = sync_source(source, Locale.objects.get(language_code="en"))

    assert item.error == "The source of 'Le chapitre' was deleted."


def test_sync_reports_progress():
    chapter, _city = translated_book()
    revise(chapter)
    events = []

    class Bar:
        def update(self, count=1):
            events.append("update")

        def close(self):
            events.append("close")

    def progress(label, total):
        events.append((str(label), total))
        return Bar()

    sync_locale("en", progress=progress)

    assert events == [("Sync en", 1), "update", "close"]


def test_sync_refuses_the_source_and_unknown_languages():
    with pytest.raises(NotATargetLocale):
        sync_locale("fr")
    with pytest.raises(NotATargetLocale):
        sync_locale("xx")


def test_command_syncs_one_locale_with_a_progress_bar_on_stderr():
    chapter, _city = translated_book("en", "es")
    revise(chapter)
    stdout, stderr = StringIO(), StringIO()

    call_command("sync_translations", "--locale", "en", stdout=stdout, stderr=stderr)

    assert "en: 1 items synced" in stdout.getvalue()
    assert "Sync en: " in stderr.getvalue()
    assert "100% 1/1" in stderr.getvalue()
    assert out_of_date_sources("en").count() == 0


def test_command_syncs_all_locales():
    chapter, _city = translated_book("en", "es")
    revise(chapter)
    stdout = StringIO()

    call_command("sync_translations", "--all-locales", stdout=stdout, stderr=StringIO())

    output = stdout.getvalue()
    # The source is shared: syncing it for English brings Spanish up to date as well.
    assert "en: 1 items synced" in output
    assert "es: every translation is up to date." in output
    assert out_of_date_sources("es").count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--locale", "xx"], "Unknown language 'xx'"),
        (["--locale", "fr"], "'fr' is the source language"),
        ([], "one of the arguments --locale --all-locales is required"),
    ],
)
def test_command_explains_a_wrong_locale(arguments, message):
    translated_book()
    with pytest.raises(CommandError, match=message):
        call_command("sync_translations", *arguments, stdout=StringIO(), stderr=StringIO())
