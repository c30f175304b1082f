"""After a sync, exactly the segments whose source changed reopen, and the translator sees what to redo."""

import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail_localize.models import StringSegment, StringTranslation

from cms.localization.reopened import reopened_segments
from cms.localization.state import item_states
from cms.localization.sync import sync_locale
from tests.cms.localization_support import (
    make_book,
    make_locales,
    publish,
    start,
    translate,
    translation_of,
    translator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


def half_translated_chapter(locales):
    """A chapter whose title and paragraph are translated into English, its summary not, then its paragraph revised."""
    book = make_book(chapters=1)
    chapter = book.chapters[0]
    en = locales["en"]
    start(chapter, en)
    translation_ = translation_of(chapter, en)
    for segment in StringSegment.objects.filter(source=translation_.source).select_related(
        "string", "context"
    ):
        if segment.context.path in ("title",) or segment.context.path.startswith("body."):
            StringTranslation.objects.create(
                translation_of=segment.string,
                context=segment.context,
                locale=en,
                data=f"[en] {segment.string.data}",
                translation_type="manual",
            )
    chapter.refresh_from_db()
    block = chapter.body[0]
    chapter.body = [
        {"type": "paragraph", "id": block.id, "value": "<p>Le texte du chapitre 1, en bien plus de mots.</p>"}
    ]
    publish(chapter)
    return chapter, translation_


def test_sync_reopens_only_the_changed_segment_and_counts_it_exactly(locales):
    chapter, translation_ = half_translated_chapter(locales)
    total = StringSegment.objects.filter(source=translation_.source).count()

    report = sync_locale(locales["en"], items=[chapter])

    # Title kept, paragraph reopened, everything else (slug, subtitle, summary...) was never translated.
    assert (report.kept, report.reopened, report.untranslated) == (1, 1, total - 2)


def test_sync_message_counts_what_changed(client, locales):
    chapter, _translation = half_translated_chapter(locales)
    client.force_login(translator("en"))

    with translation.override("en"):
        response = client.post(
            reverse("localization:action", args=["en"]),
            {"row_action": f"sync|page:{chapter.translation_key}"},
            follow=True,
        )

    assert "1 translated segments changed in the source and are to translate again, 1 translations kept" in (
        response.content.decode()
    )


def test_reopened_segment_brings_its_previous_translation_and_both_source_texts(locales):
    chapter, translation_ = half_translated_chapter(locales)
    sync_locale(locales["en"], items=[chapter])

    [segment] = reopened_segments(translation_)

    # Rich text segments are the paragraphs' contents.
    assert segment.source_before == "Le texte du chapitre 1, en quelques mots."
    assert segment.source_after == "Le texte du chapitre 1, en bien plus de mots."
    assert segment.previous_translation == "[en] Le texte du chapitre 1, en quelques mots."
    assert segment.changes() == [("quelques", "bien plus de")]
    with translation.override("fr"):
        assert "« quelques » est devenu « bien plus de »" in segment.message()


def test_translation_editor_shows_the_reopened_segment_prefilled_and_flagged(
    client, locales, django_user_model
):
    chapter, translation_ = half_translated_chapter(locales)
    sync_locale(locales["en"], items=[chapter])
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "password"))

    with translation.override("en"):
        target = chapter.get_translation(locales["en"])
        response = client.get(reverse("wagtailadmin_pages:edit", args=[target.pk]))

    tag = re.search(r'<div class="js-translation-editor"[^>]*data-props="([^"]*)"', response.content.decode())
    props = json.loads(html.unescape(tag.group(1)))
    segment = StringSegment.objects.get(source=translation_.source, context__path__startswith="body.")
    [shown] = [entry for entry in props["initialStringTranslations"] if entry["segment_id"] == segment.pk]
    assert shown["data"] == "[en] Le texte du chapitre 1, en quelques mots."
    # The warning quotes the source as it was (the new one is the segment's source, shown above it).
    assert "Le texte du chapitre 1, en quelques mots." in shown["error"]
    assert props["reopenedSegments"][0]["sourceAfter"] == segment.string.data
    # Shown, not stored: the segment stays untranslated until the translator saves it.
    state = item_states([locales["en"]], with_words=True)[locales["en"].pk]
    [row] = [row for row in state if row.item.key == chapter.translation_key]
    assert row.translated_segments == 1


def test_nothing_is_reopened_before_a_change(locales):
    book = make_book(chapters=1)
    start(book.chapters[0], locales["en"])
    translated = translate(book.chapters[0], locales["en"], count=2)

    assert reopened_segments(translated) == []
