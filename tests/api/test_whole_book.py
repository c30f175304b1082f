"""The whole-book read: a book with the full documents of the kinds it is asked to include."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from wagtail.models import PageViewRestriction

from api import http, included
from api.documents import content_changed
from book.models import BookPage, Sector
from book.synthetic import BookSpec, SyntheticBookBuilder
from tests.api.conftest import api

pytestmark = pytest.mark.django_db

EVERYTHING = "chapters,contributors,themes,cities,sectors"
DETAIL_NAMES = {
    "chapters": "chapter-detail",
    "contributors": "contributor-detail",
    "themes": "theme-detail",
    "cities": "city-detail",
    "sectors": "sector-detail",
}
# Queries of a whole-book read of every kind built from scratch, when each kind fits in one batch
# and nothing falls back to another language.
WHOLE_BOOK_QUERIES = 39
# At most what preparing one more batch of chapters costs (fewer when it has no image, link or embed).
CHAPTER_BATCH_QUERIES = 10


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def whole(client, book_ref, **params):
    response = client.get(api("book-detail", ref=book_ref), {"include": EVERYTHING, **params})
    assert response.status_code == 200, body(response)
    return response, json.loads(body(response))


def test_each_included_item_is_its_detail_document(client, book):
    response, data = whole(client, book.book.translation_key)
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    plain = client.get(api("book-detail", ref=book.book.translation_key)).json()
    assert {name: value for name, value in data.items() if name != "included"} == plain
    assert "included" not in plain
    assert list(data["included"]) == list(DETAIL_NAMES)
    assert [chapter["slug"] for chapter in data["included"]["chapters"]] == [
        "ecrire-avec-la-machine",
        "composer",
        "partager",
    ]
    assert data["included"]["chapters"][0]["body"][0]["value"]["text"] == "Début"
    for name, documents in data["included"].items():
        assert documents, name
        for document in documents:
            detail = client.get(api(DETAIL_NAMES[name], ref=document["key"]), {"locale": "fr"}).json()
            assert document == detail, (name, document["slug"])


def test_another_language_includes_what_its_details_serve_with_their_fallbacks(client, book):
    _response, data = whole(client, book.en_book.translation_key, locale="en")
    assert data["locale"] == "en" and data["title"] == "AI and creation"
    chapters = data["included"]["chapters"]
    # The English table of contents: the one chapter published in English.
    assert [(chapter["slug"], chapter["fallback"]) for chapter in chapters] == [
        ("writing-with-the-machine", False)
    ]
    contributors = {item["slug"]: item["fallback"] for item in data["included"]["contributors"]}
    assert contributors == {"jean-baptiste-andrea-en": False, "jean-michel-jarre": True}
    for name, documents in data["included"].items():
        for document in documents:
            detail = client.get(api(DETAIL_NAMES[name], ref=document["key"]), {"locale": "en"}).json()
            assert document == detail, (name, document["slug"])


def test_private_items_are_never_included(client, book):
    PageViewRestriction.objects.create(page=book.part_two, restriction_type="password", password="x")
    PageViewRestriction.objects.create(page=book.andrea, restriction_type="password", password="x")
    _response, data = whole(client, book.book.slug)
    assert [chapter["slug"] for chapter in data["included"]["chapters"]] == [
        "ecrire-avec-la-machine",
        "composer",
    ]
    assert [item["slug"] for item in data["included"]["contributors"]] == ["jean-michel-jarre"]
    text = json.dumps(data)
    assert "partager" not in text and "jean-baptiste-andrea" not in text


def test_only_the_kinds_asked_for_are_included_and_include_may_be_repeated(client, book):
    path = api("book-detail", ref=book.book.slug)
    data = json.loads(body(client.get(f"{path}?include=sectors&include=cities,sectors")))
    assert list(data["included"]) == ["cities", "sectors"]
    assert [sector["slug"] for sector in data["included"]["sectors"]] == ["cinema", "musique"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"include": "chapters,pages"}, "include"),
        ({"include": "toc"}, "include"),
        ({"fields": "title"}, "fields"),
        ({"expand": "contributors"}, "expand"),
    ],
)
def test_unknown_include_and_unsupported_parameters_are_refused(client, book, params, parameter):
    response = client.get(api("book-detail", ref=book.book.slug), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert parameter in error["message"]


def test_fields_and_expand_are_refused_on_lists_too(client, book):
    for name in ["chapter-list", "locale-list"]:
        response = client.get(api(name), {"fields": "title"})
        assert (response.status_code, response.json()["error"]["parameter"]) == (400, "fields")


def test_whole_book_read_is_etagged_cached_and_revalidated(client, book, django_assert_num_queries):
    path = api("book-detail", ref=book.book.slug)
    first = client.get(path, {"include": EVERYTHING})
    sent = body(first)
    etag = first["ETag"]
    assert etag and "max-age" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get(path, {"include": EVERYTHING})
        assert body(again) == sent and again["ETag"] == etag
        assert client.get(path, {"include": EVERYTHING}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Another set of kinds is another response.
    assert client.get(path, {"include": "chapters"})["ETag"] != etag
    # A change to what another language's readers see leaves it; one to French content replaces it.
    http.bump_content_version()
    content_changed([book.english.pk])
    assert client.get(path, {"include": EVERYTHING}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    content_changed([book.french.pk])
    assert client.get(path, {"include": EVERYTHING}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_whole_book_larger_than_the_cache_allows_is_streamed_each_time(client, book, settings):
    settings.API_CACHE_MAX_STREAMED_BYTES = 1000
    path = api("book-detail", ref=book.book.slug)
    first = body(client.get(path, {"include": EVERYTHING}))
    assert len(first) > 1000
    again = client.get(path, {"include": EVERYTHING})
    assert again.streaming and body(again) == first


def test_the_response_is_written_as_it_is_read(client, book):
    """The first bytes leave before the chapters are read: nothing waits for the whole book."""
    response = client.get(api("book-detail", ref=book.book.slug), {"include": "chapters"})
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as head:
        first = next(chunks)
    assert first.startswith(b'{"fallback":false,') and first.endswith(b'"included":{') and len(head) == 0
    with CaptureQueriesContext(connection) as rest:
        remaining = b"".join(chunks)
    assert len(rest) > 0
    assert len(json.loads(first + remaining)["included"]["chapters"]) == 3


def count_whole_book_queries(client, ref):
    body(
        client.get(api("book-detail", ref=ref), {"include": EVERYTHING})
    )  # renditions are made on first sight
    http.bump_tokens(["all"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(api("book-detail", ref=ref), {"include": EVERYTHING})
        data = json.loads(body(response))
    return len(captured), data


def test_whole_book_queries_do_not_grow_with_the_book(client, demo_book):
    demo_queries, demo = count_whole_book_queries(client, demo_book.translation_key)
    generated = SyntheticBookBuilder(BookSpec(chapters=40, blocks=8, slug="grand-livre")).build().book
    generated_queries, data = count_whole_book_queries(client, generated.translation_key)
    assert len(demo["included"]["chapters"]) >= 12
    assert len(data["included"]["chapters"]) == 40 and len(data["included"]["contributors"]) == 10
    assert all(chapter["body"] for chapter in data["included"]["chapters"])
    assert demo_queries == generated_queries == WHOLE_BOOK_QUERIES


def test_beyond_a_batch_queries_grow_by_batches_not_by_items(client, book, monkeypatch):
    SyntheticBookBuilder(BookSpec(chapters=12, blocks=3, slug="petit-livre")).build()
    ref = BookPage.objects.get(slug="petit-livre").translation_key

    def queries(batch_size):
        monkeypatch.setattr(included, "BATCH_SIZE", batch_size)
        http.bump_tokens(["all"])
        with CaptureQueriesContext(connection) as captured:
            data = json.loads(body(client.get(api("book-detail", ref=ref), {"include": "chapters"})))
        assert len(data["included"]["chapters"]) == 12
        return len(captured)

    queries(12)  # renditions are made on first sight
    one_batch, three_batches, six_batches = queries(12), queries(4), queries(2)
    assert one_batch < three_batches < six_batches
    assert three_batches - one_batch <= 2 * CHAPTER_BATCH_QUERIES
    assert six_batches - one_batch <= 5 * CHAPTER_BATCH_QUERIES


def test_schema_documents_include_and_included(client):
    schema = client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/books/{ref}/"]["get"]
    (include,) = [parameter for parameter in operation["parameters"] if parameter["name"] == "include"]
    assert include["schema"]["type"] == "array" and include["explode"] is False
    assert sorted(include["schema"]["items"]["enum"]) == sorted(DETAIL_NAMES)
    book = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    components = schema["components"]["schemas"]
    assert "included" in components[book]["properties"] and "included" not in components[book]["required"]
    included_ref = components[book]["properties"]["included"]
    name = (included_ref.get("$ref") or included_ref["allOf"][0]["$ref"]).rsplit("/", 1)[1]
    documents = {
        kind: value["items"]["$ref"].rsplit("/", 1)[1]
        for kind, value in components[name]["properties"].items()
    }
    assert documents == {
        "chapters": "ChapterDetail",
        "contributors": "ContributorDetail",
        "themes": "ThemeDetail",
        "cities": "CityDetail",
        "sectors": "SectorDetail",
    }
    # Each the schema of its own detail endpoint.
    for kind, component in documents.items():
        detail = schema["paths"][f"/api/v1/{kind}/{{ref}}/"]["get"]["responses"]["200"]["content"]
        assert detail["application/json"]["schema"]["$ref"].endswith(f"/{component}")


@pytest.mark.parametrize("indent", [2, 4])
def test_an_indented_whole_book_is_what_drf_writes_and_is_cached_apart(client, book, indent):
    """Streamed or not, the answer follows ``Accept: application/json; indent=N``, as DRF's renderer
    writes it; the compact and the indented forms are cached and revalidated each on its own."""
    accept = f"application/json; indent={indent}"
    path = api("book-detail", ref=book.book.slug)
    for _round in ("built", "cached"):
        indented = client.get(path, {"include": EVERYTHING}, HTTP_ACCEPT=accept)
        compact = client.get(path, {"include": EVERYTHING})
        compact_body = body(compact)
        assert body(indented) == JSONRenderer().render(json.loads(compact_body), accept)
        assert b"\n" not in compact_body
        assert indented["ETag"] != compact["ETag"]
    assert client.get(path, {"include": EVERYTHING}, HTTP_IF_NONE_MATCH=compact["ETag"]).status_code == 304
    assert (
        client.get(
            path, {"include": EVERYTHING}, HTTP_ACCEPT=accept, HTTP_IF_NONE_MATCH=compact["ETag"]
        ).status_code
        == 200
    )


def test_an_indented_whole_book_with_nothing_of_a_kind_is_what_drf_writes(client, book):
    Sector.objects.update(live=False)
    accept = "application/json; indent=4"
    indented = body(
        client.get(api("book-detail", ref=book.book.slug), {"include": "sectors"}, HTTP_ACCEPT=accept)
    )
    data = json.loads(indented)
    assert data["included"] == {"sectors": []}
    assert indented == JSONRenderer().render(data, accept)


@pytest.mark.parametrize("accept", ["application/json", "application/json; indent=2"])
def test_line_and_paragraph_separators_are_escaped_as_drf_writes_them(client, book, accept):
    """U+2028 and U+2029 (pasted from a word processor) end a line in JavaScript: DRF's renderer writes
    them escaped, and the streamed whole book must be the same bytes."""
    Sector.objects.filter(slug="cinema").update(description="Images\u2028en mouvement\u2029et sons")
    streamed = body(
        client.get(api("book-detail", ref=book.book.slug), {"include": "sectors"}, HTTP_ACCEPT=accept)
    )
    assert "\u2028".encode() not in streamed and "\u2029".encode() not in streamed
    assert streamed == JSONRenderer().render(json.loads(streamed), accept)
    assert "Images\u2028en mouvement\u2029et sons" in [
        sector["description"] for sector in json.loads(streamed)["included"]["sectors"]
    ]
