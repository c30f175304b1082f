"""The progress of each language: exact counts that move with the work and say how they are computed."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from cms.localization.state import (
    IN_PROGRESS,
    NOT_STARTED,
    PUBLISHED,
    LocaleProgress,
    floor_percent,
    item_states,
    locale_progress,
)
from cms.localization.totals import segment_words
from tests.cms.localization_support import editor, make_book, make_locales, start, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


def figures(html, code):
    item = re.search(rf'<li class="w-mb-2" data-locale="{code}".*?</li>', html, re.S).group(0)
    bar = re.search(r'<progress max="(\d+)" value="(\d+)"', item)
    return int(bar.group(1)), int(bar.group(2)), " ".join(re.sub(r"<[^>]+>", " ", item).split())


def test_percentages_are_rounded_down_and_never_claim_done_too_early():
    assert floor_percent(6, 47) == 12.7
    assert floor_percent(1, 3000) == 0.0
    assert floor_percent(3, 3000) == 0.1
    assert floor_percent(999, 1000) == 99.9
    assert floor_percent(0, 0) == 0


def test_words_left_of_an_item_do_not_grow_when_it_is_started(locales):
    book = make_book(chapters=1)
    chapter = book.chapters[0]
    en = locales["en"]

    def words_left():
        states = item_states([en], with_words=True)[en.pk]
        return next(state.words_left for state in states if state.item.key == chapter.translation_key)

    before = words_left()
    start(chapter, en)

    assert words_left() == before == segment_words(chapter)


def test_published_figure_is_exact_and_both_figures_move(client, locales):
    book = make_book(chapters=2)
    client.force_login(editor())
    with translation.override("en"):
        before = client.get(reverse("wagtailadmin_home")).content.decode()
        start(book.chapters[0], locales["en"])
        translate(book.chapters[0], locales["en"], publish=True)
        after = client.get(reverse("wagtailadmin_home")).content.decode()

    total_before, done_before, text_before = figures(before, "en")
    total_after, done_after, text_after = figures(after, "en")
    assert done_before == 0 and "0 of 10 items published (0.0 %)" in text_before
    assert total_after == total_before and done_after > 0
    assert "1 of 10 items published (10.0 %)" in text_after
    assert (
        f"{floor_percent(done_after, total_after)} % translated ({done_after} of {total_after} words)"
        in text_after
    )
    assert "How these figures are counted" in after


def test_every_language_bar_shows_work_in_progress_however_small(client, locales):
    book = make_book(chapters=3)
    ar = locales["ar"]
    start(book.chapters[0], ar)
    translate(book.chapters[0], ar, count=1)
    client.force_login(editor())

    with translation.override("en"):
        html = client.get(reverse("localization:grid")).content.decode()

    total, done, text = figures(html, "ar")
    progress = locale_progress(item_states([ar], with_words=True), [ar])[ar.pk]
    assert done == progress.words_done > 0
    assert total == progress.words_total
    assert "1 item started and not yet published" in text


@pytest.mark.parametrize(
    ("language", "words", "items", "started"),
    [
        (
            "en",
            "48.4 % translated (1,041,067 of 2,150,020 words)",
            "1,200 of 12,000 items published (10.0 %)",
            "2,345 items started and not yet published",
        ),
        # Django's French format: a no-break space between thousands, a comma before decimals.
        (
            "fr",
            "48,4 % traduit (1\xa0041\xa0067 mots sur 2\xa0150\xa0020)",
            "1\xa0200 éléments publiés sur 12\xa0000 (10,0 %)",
            "2\xa0345 éléments commencés et pas encore publiés",
        ),
        # Django's Arabic format groups no digits.
        (
            "ar",
            "مترجم بنسبة 48,4 % (الكلمات: 1041067 من 2150020)",
            "العناصر المنشورة: 1200 من 12000 (10,0 %)",
            "2345 عنصرًا بُدئت ولم تُنشر بعد",
        ),
    ],
)
def test_large_counts_are_written_as_the_interface_language_writes_numbers(language, words, items, started):
    progress = LocaleProgress(
        locale=Locale(language_code="en"),
        total=12_000,
        counts={PUBLISHED: 1_200, IN_PROGRESS: 2_345, NOT_STARTED: 8_455},
        words_total=2_150_020,
        words_left=1_108_953,
    )
    with translation.override(language):
        html = render_to_string(
            "localization/includes/progress_figures.html", {"progress": progress, "label": ""}
        )
    # Spaces and line breaks of the template alone: the no-break spaces of the figures are kept.
    text = re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", html))
    assert words in text
    assert items in text
    assert started in text
    # The bar's own figures are for the browser, not the reader: never grouped.
    assert '<progress max="2150020" value="1041067"' in html
