"""The plain reading view that Wagtail's preview and the site root render."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from wagtail.models import Page
from wagtail.rich_text import RichText

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


def chapter_with_a_note(locale=None):
    from wagtail.models import Locale

    from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory

    book = BookPageFactory(locale=locale or Locale.get_default())
    chapter = ChapterPageFactory(parent=PartPageFactory(parent=book))
    chapter.body = [
        ("paragraph", RichText("<p>Une idée[^1] et une autre[^1], sans note[^7].</p>")),
        ("note", {"number": 1, "text": RichText("<p>La note.</p>")}),
    ]
    chapter.save_revision().publish()
    return chapter


def rendered(page, accept_language):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    request.user = AnonymousUser()
    response = page.specific.serve(request)
    response.render()
    return response.content.decode()


def test_note_references_are_links_to_the_notes_and_back():
    html = rendered(chapter_with_a_note(), "fr")

    assert "[^1]" not in html
    assert '<sup class="note-ref"><a href="#note-1" id="note-ref-1">1</a></sup>' in html
    # Only the first reference carries the anchor the note links back to.
    assert html.count('id="note-ref-1"') == 1
    assert html.count('href="#note-1"') == 2
    assert 'id="note-1"' in html and 'href="#note-ref-1"' in html
    # A marker of a note the chapter does not have stays as written, as in the API.
    assert "[^7]" in html


def test_labels_are_in_the_language_of_the_page_not_of_the_browser():
    from wagtail.models import Locale

    french = rendered(chapter_with_a_note(), "en")
    english = rendered(chapter_with_a_note(Locale.objects.create(language_code="en")), "fr")
    arabic = rendered(chapter_with_a_note(Locale.objects.create(language_code="ar")), "fr")

    assert "minute de lecture" in french and "minute read" not in french
    assert "minute read" in english and "minute de lecture" not in english
    assert "Reading preview" in english and 'lang="en" dir="ltr"' in english
    assert 'lang="ar" dir="rtl"' in arabic
