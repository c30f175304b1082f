"""Where the grid's cells and the dashboard's work lists lead, and what they show of each state."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cms.localization_support import (
    assign_item,
    editor,
    in_every_state,
    make_book,
    make_locales,
    reviewer,
    start,
    synthetic_book,
    translate,
    translator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return make_locales()


def ref(page):
    return f"page:{page.translation_key}"


def grid_cell(html, page, code):
    row = re.search(rf'<tr data-item="{ref(page)}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'<td [^>]*data-locale="{code}"[^>]*>(.*?)</td>', row, re.S).group(0)


def link_of(fragment):
    return re.search(r'<a [^>]*href="([^"]+)"', fragment).group(1).replace("&amp;", "&")


def queue_of(code, page):
    return f"{reverse('localization:queue', args=[code])}?item=page%3A{page.translation_key}"


def test_each_grid_cell_links_to_what_comes_next_for_its_item_and_language(client, locales):
    user = editor()
    book = make_book(chapters=5)
    published, in_progress, changed, in_review, not_started = book.chapters
    in_every_state(book.chapters, locales["en"], user)
    client.force_login(user)

    html = client.get(reverse("localization:grid")).content.decode()

    def editor_of(page):
        return reverse("wagtailadmin_pages:edit", args=[page.get_translation(locales["en"]).pk])

    assert link_of(grid_cell(html, not_started, "en")) == queue_of("en", not_started)
    assert link_of(grid_cell(html, changed, "en")) == queue_of("en", changed)
    assert link_of(grid_cell(html, in_progress, "en")) == editor_of(in_progress)
    assert link_of(grid_cell(html, in_review, "en")) == editor_of(in_review)
    assert link_of(grid_cell(html, published, "en")) == editor_of(published)
    assert link_of(grid_cell(html, published, "es")) == queue_of("es", published)


def test_grid_cells_say_their_state_in_words_and_with_an_icon_not_by_colour_alone(client, locales):
    user = editor()
    book = make_book(chapters=5)
    in_every_state(book.chapters, locales["en"], user)
    client.force_login(user)

    html = client.get(reverse("localization:grid")).content.decode()

    expected = {
        book.chapters[0]: ("Published", "icon-circle-check"),
        book.chapters[1]: ("In progress", "icon-edit"),
        book.chapters[2]: ("Source changed", "icon-warning"),
        book.chapters[3]: ("Awaiting review", "icon-time"),
        book.chapters[4]: ("Not started", "icon-radio-empty"),
    }
    icons = set()
    for chapter, (label, icon) in expected.items():
        cell = grid_cell(html, chapter, "en")
        assert label in cell
        assert icon in cell
        assert chapter.title in cell  # the link names its item for who lists the links
        icons.add(icon)
    assert len(icons) == 5
    assert "cms/css/localization.css" in html


def test_the_queue_narrowed_to_one_item_shows_that_item_only(client, locales):
    book = make_book(chapters=3)
    client.force_login(translator("en"))

    html = client.get(queue_of("en", book.chapters[1])).content.decode()

    rows = re.findall(r'<tr class="localization-queue__row[^"]*" data-item="([^"]+)"', html)
    assert rows == [ref(book.chapters[1])]
    assert "Clear filters" in html


def work_list(html, name):
    match = re.search(rf'<ul class="localization-work"[^>]*data-list="{name}">(.*?)</ul>', html, re.S)
    return match.group(1) if match else None


def test_dashboard_lists_the_work_assigned_to_me_with_links(client, locales):
    alice = translator("en", username="alice")
    book = make_book(chapters=3)
    start(book.chapters[0], locales["en"])
    translate(book.chapters[0], locales["en"], count=1)
    assign_item(book.chapters[0], locales["en"], alice, due_date=date.today() + timedelta(days=30))
    assign_item(book.chapters[1], locales["en"], alice)
    assign_item(book.chapters[2], locales["en"], translator("en", username="bob"))
    client.force_login(alice)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    mine = work_list(html, "assigned")
    assert mine is not None
    translated = book.chapters[0].get_translation(locales["en"])
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[translated.pk])}"' in mine
    assert f'href="{queue_of("en", book.chapters[1])}"'.replace("&", "&amp;") in mine
    assert book.chapters[2].title not in mine
    assert 'data-state="in_progress"' in mine and "icon-edit" in mine
    # The one with a date comes first.
    assert mine.index(book.chapters[0].title) < mine.index(book.chapters[1].title)
    assert "cms/css/localization.css" in html


def test_dashboard_lists_what_is_due_soon_or_late_in_my_languages(client, locales):
    book = make_book(chapters=4)
    bob = translator("en", username="bob")
    today = date.today()
    assign_item(book.chapters[0], locales["en"], bob, due_date=today - timedelta(days=2))
    assign_item(book.chapters[1], locales["en"], bob, due_date=today + timedelta(days=3))
    assign_item(book.chapters[2], locales["en"], bob, due_date=today + timedelta(days=40))
    assign_item(book.chapters[3], locales["es"], translator("es"), due_date=today)
    client.force_login(reviewer("en"))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    due = work_list(html, "due-soon")
    assert due is not None
    assert book.chapters[0].title in due and "Overdue since" in due
    assert book.chapters[1].title in due
    assert book.chapters[2].title not in due  # not soon
    assert book.chapters[3].title not in due  # not in a language of theirs
    assert "Bob" in due
    assert due.index(book.chapters[0].title) < due.index(book.chapters[1].title)


def test_finished_work_leaves_the_dashboard_lists(client, locales):
    alice = translator("en", username="alice")
    book = make_book(chapters=1)
    start(book.chapters[0], locales["en"])
    translate(book.chapters[0], locales["en"], publish=True)
    assign_item(book.chapters[0], locales["en"], alice, due_date=date.today())
    client.force_login(alice)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert work_list(html, "assigned") is None
    assert work_list(html, "due-soon") is None


def test_dashboard_says_when_nothing_is_assigned_or_due(client, locales):
    make_book(chapters=1)
    client.force_login(translator("en"))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'data-empty="assigned"' in html and "Nothing is assigned to you" in html
    assert 'data-empty="due-soon"' in html and "Nothing is due in the next 7 days" in html


def test_dashboard_speaks_french_to_a_french_translator(client, locales):
    make_book(chapters=1)
    client.force_login(translator("en", username="claire", language="fr"))

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Rien ne vous est assigné" in html


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_dashboard_queries_do_not_grow_with_assignments(client, locales):
    alice = translator("en", username="alice")
    en = locales["en"]
    _book, chapters = synthetic_book(30, slug="work")
    in_every_state(chapters, en, editor())
    assign_item(chapters[0], en, alice, due_date=date.today())
    client.force_login(alice)
    few = _queries(client, reverse("wagtailadmin_home"))

    for number, chapter in enumerate(chapters[1:], start=1):
        assign_item(chapter, en, alice, due_date=date.today() + timedelta(days=number % 9 - 2))

    many = _queries(client, reverse("wagtailadmin_home"))
    assert many == few
    assert many <= 45
