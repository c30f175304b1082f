"""The plain reading view that Wagtail's preview and the site root render."""

import pytest
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_every_page_of_the_demo_book_renders(client, demo_book):
    pages = Page.objects.descendant_of(demo_book, inclusive=True).live().specific()
    kinds = set()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, (page, response.status_code)
        kinds.add(type(page).__name__)
    assert kinds == {
        "BookPage",
        "PartPage",
        "ChapterPage",
        "ContributorIndexPage",
        "ContributorPage",
        "ThemeIndexPage",
        "ThemePage",
    }


def test_the_book_page_shows_its_table_of_contents(client, demo_book):
    response = client.get(demo_book.url)
    for part, chapters in demo_book.table_of_contents():
        assert part.title in response.text
        for chapter in chapters:
            assert chapter.title in response.text
