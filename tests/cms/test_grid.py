"""The overview grid (items x languages), its progress bars, and the dashboard panel."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.localization.state import NOT_STARTED, PUBLISHED
from cms.localization.totals import segment_words
from tests.cms.localization_support import (
    editor,
    in_every_state,
    make_book,
    make_locales,
    make_user,
    publish,
    spread_states,
    start,
    synthetic_book,
    translate,
    translator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


def cell(html, page, code):
    """The state written in the grid's cell for a page and a language."""
    row = re.search(rf'<tr data-item="page:{page.translation_key}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-locale="{code}" data-state="([a-z_]+)"', row).group(1)


def progress_of(html, code):
    """The words translated that a language's progress bar shows, and the words of the book it measures them by."""
    found = re.search(rf'data-locale="{code}"[^>]*>.*?<progress max="(\d+)" value="(\d+)"', html, re.S)
    return int(found.group(2)), int(found.group(1))


def test_grid_shows_each_item_in_each_language(client, locales):
    book = make_book(chapters=2)
    start(book.chapters[0], locales["es"])
    translate(book.chapters[0], locales["es"], publish=True)
    client.force_login(editor())

    html = client.get(reverse("localization:grid")).content.decode()

    assert cell(html, book.chapters[0], "es") == PUBLISHED
    assert cell(html, book.chapters[0], "en") == NOT_STARTED
    assert cell(html, book.chapters[1], "es") == NOT_STARTED
    for code in ["en", "es", "ar", "zh-hans", "ru"]:
        assert f'data-locale="{code}" data-state=' in html


def test_grid_cells_carry_the_percentage_translated(client, locales):
    book = make_book(chapters=1)
    start(book.chapters[0], locales["en"])
    translation = translate(book.chapters[0], locales["en"], count=1)
    total, done = translation.get_progress()
    client.force_login(editor())

    html = client.get(reverse("localization:grid")).content.decode()

    row = re.search(rf'<tr data-item="page:{book.chapters[0].translation_key}">(.*?)</tr>', html, re.S).group(
        1
    )
    assert f"{done * 100 // total} %" in row


def test_progress_bar_per_language_follows_the_work_done(client, locales):
    book = make_book(chapters=1)
    client.force_login(editor())
    before = progress_of(client.get(reverse("localization:grid")).content.decode(), "en")

    for page in [book.book, book.part, *book.chapters]:
        start(page, locales["en"])
        translate(page, locales["en"], publish=True)
    after = client.get(reverse("localization:grid")).content.decode()

    translated = sum(segment_words(page) for page in [book.book, book.part, *book.chapters])
    assert before[0] == 0
    assert progress_of(after, "en") == (translated, before[1])
    assert progress_of(after, "es") == (0, before[1])


def grid_rows(html):
    return re.findall(r'<tr data-item="([^"]+)">', html)


def test_grid_opens_on_the_first_page_with_work_to_do(client, locales, monkeypatch):
    from cms.localization import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    book = make_book(chapters=4)
    for page in (book.book, book.part, book.chapters[0]):
        # Translated by hand and published: done in Spanish.
        publish(page.copy_for_translation(locales["es"]))
    client.force_login(translator("es"))

    html = client.get(reverse("localization:grid")).content.decode()

    assert grid_rows(html) == [f"page:{chapter.translation_key}" for chapter in book.chapters[1:4]]
    assert re.search(r'href="\?p=2"\s*aria-current="page"', html)
    first = client.get(reverse("localization:grid") + "?p=1").content.decode()
    assert grid_rows(first)[0] == f"page:{book.book.translation_key}"
    # The progress bars and the count are of the whole book, not of the page.
    assert re.search(rf'class="pagination__end">\s*{book.item_count} items', html)
    translated, words = progress_of(html, "es")
    assert progress_of(first, "es") == (translated, words)
    assert 0 < translated < words


def test_translators_see_only_the_languages_they_work_on(client, locales):
    make_book(chapters=1)
    client.force_login(translator("ar"))

    html = client.get(reverse("localization:grid")).content.decode()

    assert 'data-locale="ar"' in html
    assert 'data-locale="en"' not in html


def test_grid_is_refused_to_who_works_on_no_language(client, locales):
    client.force_login(make_user("reader", "Authors"))

    response = client.get(reverse("localization:grid"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_dashboard_shows_translation_progress_to_translators(client, locales):
    make_book(chapters=1)
    client.force_login(translator("en"))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="translation-progress' in html or "translation-progress" in html
    assert f'href="{reverse("localization:queue", args=["en"])}"' in html
    assert 'data-locale="es"' not in html


def test_dashboard_has_no_translation_panel_for_others(client, locales):
    make_book(chapters=1)
    client.force_login(make_user("reader", "Authors"))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "translation-progress" not in html


def test_translations_menu_item_is_shown_to_translators_only(client, locales):
    make_book(chapters=1)
    grid_url = reverse("localization:grid")

    client.force_login(translator("en"))
    assert grid_url in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_user("reader", "Authors"))
    assert grid_url not in client.get(reverse("wagtailadmin_home")).content.decode()


def _queries(client, url):
    client.get(url)  # warms the process caches (content types, locales), as on a running site
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_grid_and_dashboard_run_the_same_number_of_queries_for_10_and_200_chapters(client, locales):
    user = editor()
    en = locales["en"]
    _book, chapters = synthetic_book(10, slug="small")
    in_every_state(chapters, en, user)
    client.force_login(user)
    grid_small = _queries(client, reverse("localization:grid"))
    dashboard_small = _queries(client, reverse("wagtailadmin_home"))

    _book, more = synthetic_book(190, slug="large")
    spread_states(more, en, user)
    spread_states(more[5:], locales["ar"], user)

    assert _queries(client, reverse("localization:grid")) == grid_small
    assert _queries(client, reverse("localization:grid") + "?p=4") == grid_small
    assert len(grid_rows(client.get(reverse("localization:grid")).content.decode())) == 50
    assert _queries(client, reverse("wagtailadmin_home")) == dashboard_small
    # The words and segments of every language are read from their stored sums in two queries.
    assert grid_small <= 25
