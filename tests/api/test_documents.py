"""Stored documents: built once, marked stale by the change that makes them so, served as stored bytes."""

import datetime
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api import documents, http
from api.models import StoredDocument
from api.views import ITEM_VIEWSETS
from book.models import ChapterPage
from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def republish(page, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def fresh(client, path, **headers):
    """A response read without the response cache: from the stored documents."""
    version = http.response_cache().get(http.VERSION_KEY)
    http.response_cache().clear()
    http.response_cache().set(http.VERSION_KEY, version, timeout=None)
    return client.get(path, **headers)


def etags(client, paths):
    return {path: fresh(client, path)["ETag"] for path in paths}


def test_publishing_a_chapter_changes_the_etags_of_what_shows_it_and_nothing_else(client, book):
    shows_first = [
        api("chapter-detail", ref=book.first.translation_key),
        api("contributor-detail", ref=book.andrea.translation_key),
        api("theme-detail", ref=book.practices.translation_key),
        api("chapter-list"),
    ]
    unrelated = [
        api("chapter-detail", ref=book.second.translation_key),
        api("chapter-detail", ref=book.third.translation_key),
        api("city-detail", ref=book.cannes.translation_key),
        api("sector-detail", ref=book.cinema.translation_key),
        api("contributor-list"),
        f"{api('chapter-detail', ref=book.first.translation_key)}?locale=en",
    ]
    before = etags(client, shows_first + unrelated)
    republish(book.first, title="Écrire avec la machine, encore")
    after = etags(client, shows_first + unrelated)
    assert all(before[path] != after[path] for path in shows_first)
    assert all(before[path] == after[path] for path in unrelated)
    assert (
        "encore" in fresh(client, api("contributor-detail", ref=book.andrea.translation_key)).content.decode()
    )


def test_a_detail_is_its_stored_document_with_the_request_host(client, book):
    path = api("chapter-detail", ref=book.first.translation_key)
    first = fresh(client, path)
    stored = StoredDocument.objects.get(key=book.first.translation_key.hex, shape=StoredDocument.DETAIL)
    assert documents.ORIGIN.encode() in bytes(stored.body)
    assert first.content == bytes(stored.body).replace(documents.ORIGIN.encode(), b"http://testserver")
    other = fresh(client, path, HTTP_HOST="localhost")
    assert b"http://localhost/api/v1/" in other.content and documents.HOST.encode() not in other.content
    assert other.content == first.content.replace(b"http://testserver", b"http://localhost")


def test_an_unpublished_chapter_is_stale_inside_the_transaction_that_unpublishes_it(client, book):
    fresh(client, api("chapter-list"))
    fresh(client, api("contributor-detail", ref=book.andrea.translation_key))
    french = book.first.locale
    fresh(client, api("chapter-detail", ref=book.first.translation_key))
    assert documents.stored([book.first.translation_key], french.pk, StoredDocument.DETAIL)
    with transaction.atomic():
        ChapterPage.objects.get(pk=book.first.pk).unpublish()
        assert documents.stored([book.first.translation_key], french.pk, StoredDocument.DETAIL) == {}
        assert documents.stored([book.first.translation_key], french.pk, StoredDocument.SUMMARY) == {}
        # The contributor's detail lists the chapter: stale too.
        assert documents.stored([book.andrea.translation_key], french.pk, StoredDocument.DETAIL) == {}
    assert fresh(client, api("chapter-detail", ref=book.first.translation_key)).status_code == 404
    listed = fresh(client, api("chapter-list")).json()["results"]
    assert book.first.pk not in [chapter["id"] for chapter in listed]
    chapters = fresh(client, api("contributor-detail", ref=book.andrea.translation_key)).json()["chapters"]
    assert book.first.pk not in [chapter["id"] for chapter in chapters]


def test_a_section_made_private_leaves_the_stored_documents_at_once(client, book):
    path = api("chapter-detail", ref=book.first.translation_key)
    assert fresh(client, path).status_code == 200
    PageViewRestriction.objects.create(page=book.part_one, restriction_type="password", password="x")
    assert fresh(client, path).status_code == 404
    assert book.first.pk not in [
        chapter["id"] for chapter in fresh(client, api("chapter-list")).json()["results"]
    ]


def test_a_build_that_began_before_a_change_is_not_stored(book):
    viewset = ITEM_VIEWSETS["chapter"]
    started = documents.current_sequence()
    built = documents.build(viewset, book.first.translation_key, book.first.locale, store=False)
    assert built
    # The change commits while the build is under way: what it read is the old state.
    republish(book.first, title="Changé entre-temps")
    targets = {book.first.translation_key.hex}
    assert not documents._store(book.first.translation_key.hex, "chapter", built, targets, started)
    assert not StoredDocument.objects.filter(key=book.first.translation_key.hex).exists()


def test_a_change_to_what_a_document_shows_but_hides_marks_it_stale(client, book):
    """A contributor not yet published is in the chapter's dependencies: publishing it changes the chapter."""
    path = api("chapter-detail", ref=book.first.translation_key)
    type(book.jarre).objects.get(pk=book.jarre.pk).unpublish()
    names = [person["title"] for person in fresh(client, path).json()["contributors"]]
    assert "Jean-Michel Jarre" not in names
    republish(book.jarre)
    names = [person["title"] for person in fresh(client, path).json()["contributors"]]
    assert "Jean-Michel Jarre" in names


def test_a_304_from_a_cached_response_reads_nothing(client, book, django_assert_num_queries):
    path = api("chapter-detail", ref=book.first.translation_key)
    etag = client.get(path)["ETag"]
    with django_assert_num_queries(0):
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_rebuild_documents_builds_every_document_and_reads_serve_them(
    client, book, django_assert_num_queries
):
    err = StringIO()
    call_command("rebuild_documents", stdout=StringIO(), stderr=err)
    assert "Documents:" in err.getvalue()
    # Every chapter read in every language, and the summaries of those in their own.
    assert StoredDocument.objects.filter(kind="chapter", shape=StoredDocument.DETAIL).count() == 3 * 2
    assert StoredDocument.objects.filter(kind="chapter", shape=StoredDocument.SUMMARY).count() == 3 + 1
    path = f"{api('chapter-detail', ref=book.first.translation_key)}?locale=en"
    http.response_cache().clear()
    http.current_version()
    with django_assert_num_queries(2):
        assert client.get(path).json()["title"] == "Writing with the machine"


def test_rebuild_documents_of_one_language(book):
    call_command("rebuild_documents", locale="en", stdout=StringIO(), stderr=StringIO())
    assert set(StoredDocument.objects.values_list("locale_id", flat=True)) == {book.english.pk}
    with pytest.raises(CommandError):
        call_command("rebuild_documents", locale="xx", stdout=StringIO(), stderr=StringIO())


def test_reads_find_exactly_the_documents_that_are_current(book):
    """The read's query, written in SQL, keeps to ``documents.current``: stale and expired documents
    are never served, current ones always are."""
    call_command("rebuild_documents", stdout=StringIO(), stderr=StringIO())
    republish(book.first, title="Écrire autrement")
    expired = StoredDocument.objects.filter(key=book.second.translation_key.hex)
    expired.update(valid_until=timezone.now() - datetime.timedelta(minutes=1))
    found_stale = False
    for locale_id, shape in StoredDocument.objects.values_list("locale_id", "shape").distinct():
        rows = StoredDocument.objects.filter(locale_id=locale_id, shape=shape)
        keys = [uuid.UUID(key) for key in rows.values_list("key", flat=True)]
        current = set(documents.current(rows).values_list("key", flat=True))
        found_stale = found_stale or len(current) < len(keys)
        assert set(documents.stored(keys, locale_id, shape)) == current
    assert found_stale
