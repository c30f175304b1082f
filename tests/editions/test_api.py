"""The editions in the public API, the OPDS catalog, and the downloads themselves."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from lxml import etree

from api.http import response_cache
from book.models import Edition
from cms.media import public_media
from editions import builds
from tests.api.test_documents import republish

# The builders are stood in for: these tests are about storing, scheduling and serving builds.
pytestmark = pytest.mark.usefixtures("small_builders")

SCHEMA = Path(__file__).parent / "opds_schema" / "opds.rng"
ATOM = "{http://www.w3.org/2005/Atom}"


def absolute(url):
    """A file's address as the API gives it: storage on S3 already names its host."""
    return url if url.startswith(("http://", "https://")) else f"http://testserver{url}"


@pytest.fixture
def built(book):
    return [builds.build(edition) for edition in builds.editions_of([book.book, book.en_book])]


def book_detail(client, book_page, **query):
    url = reverse("api:book-detail", kwargs={"ref": book_page.translation_key})
    return client.get(url, {"locale": book_page.locale.language_code, **query})


def test_book_detail_lists_its_languages_editions(client, book, built):
    response = book_detail(client, book.en_book)

    assert response.status_code == 200
    editions = {item["format"]: item for item in response.json()["editions"]}
    assert set(editions) == {"epub", "pdf"}
    epub = Edition.objects.get(locale=book.english, format="epub")
    assert editions["epub"] == {
        "format": "epub",
        "url": absolute(epub.file.url),
        "media_type": "application/epub+zip",
        "bytes": epub.bytes,
        "sha256": epub.sha256,
        "built_at": editions["epub"]["built_at"],
        "complete": True,
    }
    assert datetime.fromisoformat(editions["epub"]["built_at"]) == epub.built_at
    assert editions["pdf"]["complete"] is False
    assert editions["epub"]["url"].endswith("/ai-and-creation-en.epub")


def test_book_without_built_edition_lists_none(client, book):
    assert book_detail(client, book.book).json()["editions"] == []


def test_failed_build_keeps_the_previous_file_in_the_api(client, book, built, monkeypatch):
    from .conftest import use_builder

    before = book_detail(client, book.book).json()["editions"]
    use_builder(monkeypatch, "epub", "crashing")
    with pytest.raises(builds.BuildFailed):
        builds.build(Edition.objects.get(locale=book.french, format="epub"))

    assert book_detail(client, book.book).json()["editions"] == before


def test_new_build_changes_the_cached_response(client, book, built):
    first = book_detail(client, book.book)
    book.third.unpublish()
    builds.build(Edition.objects.get(locale=book.french, format="epub"))

    second = book_detail(client, book.book)
    assert second["ETag"] != first["ETag"]
    assert second.json()["editions"] != first.json()["editions"]


def test_editions_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    detail = schema["components"]["schemas"]["BookDetail"]
    assert "editions" in detail["properties"]
    edition = schema["components"]["schemas"]["Edition"]
    assert set(edition["properties"]) == {
        "format",
        "url",
        "media_type",
        "bytes",
        "sha256",
        "built_at",
        "complete",
    }


def test_download_in_development_has_the_type_and_a_readable_name(book, built, settings, media_bucket):
    if media_bucket is not None:
        pytest.skip("Media are on S3 here: nothing is served from local files.")
    epub = Edition.objects.get(locale=book.french, format="epub")
    path = epub.file.url.removeprefix(settings.MEDIA_URL)
    response = public_media(RequestFactory().get(epub.file.url), path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="ia-et-creation-fr.epub"'
    assert b"".join(response.streaming_content) == epub.file.open().read()


def opds(client):
    response = client.get(reverse("api:opds"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml;profile=opds-catalog;kind=acquisition")
    return etree.fromstring(response.content)


def test_opds_catalog_is_valid_and_lists_every_languages_editions(client, book, built):
    feed = opds(client)

    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(feed), schema.error_log
    entries = {entry.find(f"{ATOM}title").text: entry for entry in feed.iter(f"{ATOM}entry")}
    assert set(entries) == {"IA et création", "AI and creation"}
    english = entries["AI and creation"]
    assert english.find("{http://purl.org/dc/terms/}language").text == "en"
    acquisitions = {
        link.get("type"): link.get("href")
        for link in english.iter(f"{ATOM}link")
        if link.get("rel") == "http://opds-spec.org/acquisition/open-access"
    }
    epub = Edition.objects.get(locale=book.english, format="epub")
    assert acquisitions["application/epub+zip"] == absolute(epub.file.url)
    assert "application/pdf" in acquisitions
    rels = {link.get("rel") for link in english.iter(f"{ATOM}link")}
    assert "http://opds-spec.org/image" in rels and "http://opds-spec.org/image/thumbnail" in rels
    authors = [name.text for name in entries["IA et création"].iter(f"{ATOM}name")]
    assert authors == ["Jean-Baptiste Andrea", "Jean-Michel Jarre"]


def test_opds_leaves_out_unpublished_languages(client, book, built):
    book.en_book.unpublish()

    titles = [entry.find(f"{ATOM}title").text for entry in opds(client).iter(f"{ATOM}entry")]
    assert titles == ["IA et création"]


def test_opds_schema_refuses_a_broken_catalog():
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    feed = etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title><updated>2020-01-01T00:00:00Z</updated>'
        b"<entry><id>urn:y</id><title>b</title><updated>2020-01-01T00:00:00Z</updated>"
        b'<link rel="http://opds-spec.org/acquisition/buy" href="http://example.org/a.epub"/></entry></feed>'
    )
    assert not schema.validate(feed)


OPDS2_SCHEMA = Path(__file__).parent / "opds_schema" / "opds2-feed.schema.json"


def opds2_validator():
    import jsonschema

    schema = json.loads(OPDS2_SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def opds2(client):
    response = client.get(reverse("api:opds-json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opds+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_opds2_catalog_has_the_shape_of_opds_2_and_the_same_publications_as_the_atom_one(client, book, built):
    feed = opds2(client)

    errors = sorted(opds2_validator().iter_errors(feed), key=str)
    assert errors == [], [error.message for error in errors]
    atom = opds(client)
    atom_ids = [entry.find(f"{ATOM}id").text for entry in atom.iter(f"{ATOM}entry")]
    assert [item["metadata"]["identifier"] for item in feed["publications"]] == atom_ids
    english = next(item for item in feed["publications"] if item["metadata"]["language"] == "en")
    assert english["metadata"]["title"] == "AI and creation"
    acquisitions = {
        link["type"]: link["href"]
        for link in english["links"]
        if link["rel"] == "http://opds-spec.org/acquisition/open-access"
    }
    epub = Edition.objects.get(locale=book.english, format="epub")
    assert acquisitions["application/epub+zip"] == absolute(epub.file.url)
    assert "application/pdf" in acquisitions
    assert all(url.startswith("http") for url in acquisitions.values())
    assert english["images"] and all(image["href"].startswith("http") for image in english["images"])
    french = next(item for item in feed["publications"] if item["metadata"]["language"] == "fr")
    assert [author["name"] for author in french["metadata"]["author"]] == [
        "Jean-Baptiste Andrea",
        "Jean-Michel Jarre",
    ]


def test_the_two_catalogs_link_to_each_other(client, book, built):
    feed = opds2(client)
    links = {link["rel"]: link for link in feed["links"]}
    assert links["self"]["href"] == absolute(reverse("api:opds-json"))
    assert links["alternate"]["href"] == absolute(reverse("api:opds"))
    assert links["alternate"]["type"].startswith("application/atom+xml;profile=opds-catalog")
    atom = opds(client)
    alternates = [link for link in atom.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert [(link.get("href"), link.get("type")) for link in alternates] == [
        (absolute(reverse("api:opds-json")), "application/opds+json")
    ]


def test_opds2_leaves_out_unpublished_languages(client, book, built):
    book.en_book.unpublish()

    assert [item["metadata"]["language"] for item in opds2(client)["publications"]] == ["fr"]


def test_opds2_schema_refuses_a_publication_without_acquisition_or_self_link():
    validator = opds2_validator()
    publication = {
        "metadata": {"title": "b", "language": "fr"},
        "links": [
            {"rel": "http://opds-spec.org/acquisition/open-access", "href": "http://example.org/a.epub"}
        ],
    }
    feed = {"metadata": {"title": "t"}, "links": [{"rel": "self", "href": "http://example.org/"}]}
    assert validator.is_valid(
        {
            **feed,
            "publications": [
                {
                    **publication,
                    "links": [*publication["links"], {"rel": "self", "href": "http://example.org/b"}],
                }
            ],
        }
    )
    assert not validator.is_valid({**feed, "publications": [publication]})  # no self link
    no_acquisition = {**publication, "links": [{"rel": "self", "href": "http://example.org/b"}]}
    assert not validator.is_valid({**feed, "publications": [no_acquisition]})
    assert not validator.is_valid({**feed, "links": [], "publications": []})  # the feed has no self link
    dated = {**publication, "metadata": {"title": "b", "modified": "yesterday"}}
    assert not validator.is_valid({**feed, "publications": [dated]})


def test_opds_catalogs_read_the_same_number_of_queries_whatever_the_number_of_languages(client, book, built):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opds2(client)  # the covers' renditions are made once
    counts = {}
    for name, read in (("json", opds2), ("atom", opds)):
        response_cache().clear()
        with CaptureQueriesContext(connection) as two_languages:
            read(client)
        counts[name] = len(two_languages.captured_queries)
    book.en_book.unpublish()
    for name, read in (("json", opds2), ("atom", opds)):
        response_cache().clear()
        with CaptureQueriesContext(connection) as one_language:
            read(client)
        assert len(one_language.captured_queries) == counts[name], name
    assert counts["json"] <= 10


def test_the_catalogs_have_the_etag_of_their_body_and_answer_a_matching_one_with_a_304(
    client, book, built, django_assert_num_queries
):
    for path in (reverse("api:opds"), reverse("api:opds-json")):
        first = client.get(path)
        assert first.status_code == 200 and first["ETag"], path
        with django_assert_num_queries(0):
            again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again["ETag"] == first["ETag"], path
        # Built again, unchanged: the same ETag, and a 304.
        response_cache().clear()
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, path


def test_a_publication_changes_the_etags_of_the_whole_book_reads_of_the_languages_that_see_it(
    client, book, built
):
    """As the book, its table of contents, search and the change feed do: French readers see no English
    content, English readers fall back to French. The catalogs change only when what they list does."""
    whole = reverse("api:book-detail", kwargs={"ref": book.book.translation_key})
    paths = {
        "fr whole book": f"{whole}?locale=fr&include=chapters,contributors,themes",
        "en whole book": f"{whole}?locale=en&include=chapters,contributors,themes",
        "opds": reverse("api:opds"),
        "opds v2": reverse("api:opds-json"),
    }

    def read():
        found = {}
        for name, path in paths.items():
            response = client.get(path)
            assert response.status_code == 200, name
            body = b"".join(response.streaming_content) if response.streaming else response.content
            found[name] = (response["ETag"], body)
        return found

    def changed(before, after):
        return {name for name in paths if before[name][0] != after[name][0]}

    before = read()
    for name, path in paths.items():
        assert client.get(path, HTTP_IF_NONE_MATCH=before[name][0]).status_code == 304, name
    assert read() == before

    republish(book.en_first, title="Writing with the machine, again")
    english = read()
    assert changed(before, english) == {"en whole book"}
    assert b"Writing with the machine, again" in english["en whole book"][1]

    republish(book.second, title="Composer, encore")
    french = read()
    assert changed(english, french) == {"fr whole book", "en whole book"}
    assert all(b"Composer, encore" in french[name][1] for name in ("fr whole book", "en whole book"))
    assert (
        client.get(paths["fr whole book"], HTTP_IF_NONE_MATCH=english["fr whole book"][0]).status_code == 200
    )

    republish(book.book, title="IA et création, encore")
    retitled = read()
    assert changed(french, retitled) == set(paths)
    assert b"IA et cr\xc3\xa9ation, encore" in retitled["opds"][1]


@pytest.mark.parametrize("fmt", ["epub"])
def test_s3_edition_has_content_type_and_download_name(book, s3_media, fmt):
    edition = builds.build(builds.editions_of([book.book], [fmt])[0])

    head = s3_media.client.head_object(Bucket=s3_media.bucket, Key=edition.file.name)
    assert head["ContentType"] == "application/epub+zip"
    assert head["ContentDisposition"] == 'attachment; filename="ia-et-creation-fr.epub"'
    assert edition.file.url.startswith(s3_media.endpoint)
    assert s3_media.keys("editions/") == [edition.file.name]


def test_s3_superseded_file_is_deleted_once_the_new_one_is_recorded(
    book, s3_media, django_capture_on_commit_callbacks
):
    first = builds.build(builds.editions_of([book.book], ["epub"])[0])
    book.third.unpublish()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        second = builds.build(Edition.objects.get(pk=first.pk))
    assert sorted(s3_media.keys("editions/")) == sorted([first.file.name, second.file.name])
    for callback in pending:
        callback()

    assert s3_media.keys("editions/") == [second.file.name]
