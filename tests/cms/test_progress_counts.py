"""The progress of each language: exact counts that move with the work and say how they are computed."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cms.localization.state import floor_percent, item_states, locale_progress, segment_words
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
