import re
from html.parser import HTMLParser

import pytest

from book.models import ChapterPage
from editions.formats import Printable
from editions.html import edition_html

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag of a document with its attributes, in order."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_the_printable_edition_is_one_document_with_everything_in_order(demo_book):
    printable = edition_html(demo_book)
    assert isinstance(printable, Printable)
    assert printable.complete is True
    html = printable.html
    assert re.match(r'<!DOCTYPE html>\s*<html lang="fr" dir="ltr">', html)
    chapters = list(ChapterPage.objects.descendant_of(demo_book).live().order_by("path"))
    positions = [html.index(f">{chapter.title}</h1>") for chapter in chapters]
    assert positions == sorted(positions)
    assert (
        html.index('id="colophon"') < html.index('id="toc"') < positions[0] < html.index('id="contributors"')
    )
    elements = Elements(html).found
    ids = {attrs["id"] for _tag, attrs in elements if "id" in attrs}
    toc_links = [
        attrs["href"]
        for tag, attrs in elements
        if tag == "a" and attrs.get("href", "").startswith("#chapter-")
    ]
    assert len(toc_links) >= len(chapters)
    assert {link.removeprefix("#") for link in toc_links} <= ids
    assert "epub:type" not in html


def test_notes_follow_the_paragraph_that_calls_them(demo_book):
    html = edition_html(demo_book).html
    calls = re.findall(r'<a class="note-ref" href="#([^"]+)" id="([^"]+)" role="doc-noteref">', html)
    assert calls
    for note, call in calls:
        note_at = html.index(f'<aside class="footnote" id="{note}" role="doc-footnote"')
        call_at = html.index(f'id="{call}"')
        assert call_at < note_at
        # Nothing but the rest of the calling block between the call and its note.
        between = html[call_at:note_at]
        assert "<h2" not in between and '<div class="paragraph"' not in between
        assert f'href="#{call}" role="doc-backlink"' in html[note_at:]


def test_images_are_served_by_the_url_fetcher_only(demo_book):
    printable = edition_html(demo_book)
    sources = re.findall(r'<img src="([^"]+)"', printable.html)
    assert sources and all(source.startswith("edition-image:") for source in sources)
    fetched = printable.url_fetcher(sources[0])
    assert fetched["string"].startswith(b"\xff\xd8") and fetched["mime_type"] == "image/jpeg"
    with pytest.raises(ValueError):
        printable.url_fetcher("https://example.org/tracker.png")
    with pytest.raises(ValueError):
        printable.url_fetcher("file:///etc/passwd")


def test_arabic_printable_edition_is_right_to_left_with_french_passages_marked(arabic_book):
    printable = edition_html(arabic_book)
    assert printable.complete is False
    assert re.match(r'<!DOCTYPE html>\s*<html lang="ar" dir="rtl">', printable.html)
    assert re.search(r'<h2 lang="fr" dir="ltr">', printable.html)
