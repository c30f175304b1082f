"""Query counts do not grow with the data: a page of results costs a fixed number of queries."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import http
from api.models import StoredDocument
from tests.api.conftest import api, credit
from tests.factories import (
    ChapterPageFactory,
    CityFactory,
    ContributorPageFactory,
    SectorFactory,
    ThemePageFactory,
)

pytestmark = pytest.mark.django_db

# Queries of a response not in the response cache, its documents stored: a chapter's detail reads
# the locales and its document; a list the locales, the private sections, the page's keys with
# the count of all, and their summaries.
CHAPTER_LIST_QUERIES = 4
CHAPTER_DETAIL_QUERIES = 2
# A chapter's documents built anew: the chapter and what it shows, one of the queries reading what
# its citation needs (the book, the contributors' sort names); then the dependencies and the
# sequence numbers they are checked against, and the documents written.
CHAPTER_DETAIL_BUILD_QUERIES = 18
LIST_QUERIES = 11
DETAIL_QUERIES = 12


def empty_response_cache():
    """Forget every cached response, keeping the content version."""
    version = http.response_cache().get(http.VERSION_KEY)
    http.response_cache().clear()
    http.response_cache().set(http.VERSION_KEY, version, timeout=None)


def count_queries(client, path, params=None, build=False):
    """The queries of one response: renditions already made, the response not cached, its documents
    stored (or, with ``build``, built again)."""
    client.get(path, params)  # renditions are made on first sight; what is measured is reading
    # A new content version, as after any publication: the cached response is obsolete.
    http.bump_content_version()
    empty_response_cache()
    if build:
        StoredDocument.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(captured)


def add_chapters(book, how_many):
    city = CityFactory()
    sector = SectorFactory()
    for _ in range(how_many):
        chapter = ChapterPageFactory(parent=book.part_two, city=city)
        credit(
            chapter,
            contributors=[(book.andrea, "author"), (book.jarre, "interviewer")],
            themes=[book.practices, book.audiences],
            sectors=[sector, book.cinema],
        )


def test_chapter_list_queries_do_not_grow_with_the_number_of_chapters(client, book):
    add_chapters(book, 2)
    few = count_queries(client, api("chapter-list"), {"page_size": 100})
    add_chapters(book, 95)
    # A full page of 100 chapters, each crediting contributors, themes, sectors and a city.
    page = client.get(api("chapter-list"), {"page_size": 100}).json()
    assert (page["count"], len(page["results"])) == (100, 100)
    # Each is cited with its book and its people: 97 added chapters with an author and an
    # interviewer, and the book's own three with four authors between them.
    citations = [result["citation"] for result in page["results"]]
    assert all(citation["container-title"] == book.book.title for citation in citations)
    credited = sum(
        len(citation.get("author", [])) + len(citation.get("interviewer", [])) for citation in citations
    )
    assert credited == 97 * 2 + 4
    many = count_queries(client, api("chapter-list"), {"page_size": 100})
    assert few == many == CHAPTER_LIST_QUERIES


def test_every_list_runs_a_fixed_number_of_queries(client, book):
    add_chapters(book, 5)
    for name in ["book-list", "contributor-list", "theme-list", "city-list", "sector-list", "locale-list"]:
        assert 0 < count_queries(client, api(name)) <= LIST_QUERIES, name


def chapter_with(book, blocks, contributors, themes):
    images = [wagtail_factories.ImageFactory() for _ in range(3)]
    body = []
    for number in range(blocks):
        kind = number % 5
        if kind == 0:
            body.append(("paragraph", f'<p>Texte[^1] <a linktype="page" id="{book.andrea.pk}">lien</a>.</p>'))
        elif kind == 1:
            image = images[number % len(images)]
            body.append(("image", {"image": image, "alt_text": "A", "caption": "", "credit": ""}))
        elif kind == 2:
            body.append(("heading", {"level": "h2", "text": f"Titre {number}"}))
        elif kind == 3:
            body.append(
                (
                    "interview",
                    {"question": "Q", "answer": f'<p><a linktype="page" id="{book.third.pk}">R</a></p>'},
                )
            )
        else:
            body.append(("quote", {"text": "Citation", "attribution": ""}))
    body.append(("note", {"number": 1, "text": "<p>Note.</p>"}))
    chapter = ChapterPageFactory(parent=book.part_one, body=body, city=book.cannes)
    people = [ContributorPageFactory(parent=book.contributors_index) for _ in range(contributors)]
    topics = [ThemePageFactory(parent=book.themes_index) for _ in range(themes)]
    credit(
        chapter, contributors=[(person, "author") for person in people], themes=topics, sectors=[book.cinema]
    )
    return chapter


def test_chapter_detail_queries_do_not_grow_with_blocks_and_credits(client, book):
    small = chapter_with(book, blocks=5, contributors=1, themes=1)
    large = chapter_with(book, blocks=50, contributors=5, themes=3)
    few = count_queries(client, api("chapter-detail", ref=small.translation_key))
    many = count_queries(client, api("chapter-detail", ref=large.translation_key))
    assert few == many == CHAPTER_DETAIL_QUERIES
    # Building the documents anew costs more, but no more for more blocks and credits.
    few = count_queries(client, api("chapter-detail", ref=small.translation_key), build=True)
    many = count_queries(client, api("chapter-detail", ref=large.translation_key), build=True)
    assert few == many == CHAPTER_DETAIL_BUILD_QUERIES
    data = client.get(api("chapter-detail", ref=large.translation_key)).json()
    assert len(data["body"]) == 51 and len(data["contributors"]) == 5 and len(data["themes"]) == 3


def test_every_detail_runs_a_fixed_number_of_queries(client, book):
    for name, ref in [
        ("book-detail", book.book.slug),
        ("contributor-detail", "jean-baptiste-andrea"),
        ("theme-detail", "publics"),
        ("city-detail", "cannes"),
        ("sector-detail", "cinema"),
    ]:
        assert 0 < count_queries(client, api(name, ref=ref)) <= DETAIL_QUERIES, name


def test_a_cached_response_runs_no_query(client, book, django_assert_num_queries):
    path = api("chapter-detail", ref=book.first.translation_key)
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


def test_search_runs_a_fixed_number_of_queries(client, book, django_assert_max_num_queries):
    add_chapters(book, 10)
    few = count_queries(client, api("search"), {"q": "chapitre", "page_size": 3})
    many = count_queries(client, api("search"), {"q": "chapitre", "page_size": 12})
    assert few == many
