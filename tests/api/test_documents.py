"""Stored documents: built once, marked stale by the change that makes them so, served as stored bytes."""

import datetime
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api import cdn, documents, http
from api.models import DocumentDependency, StoredDocument
from api.views import ITEM_VIEWSETS
from book.models import ChapterPage
from book.signals import worker_tick
from tests.api.conftest import api
from tests.factories import ChapterPageFactory

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
        # Its English translation, which no longer follows it: outdated.
        f"{api('chapter-detail', ref=book.first.translation_key)}?locale=en",
    ]
    unrelated = [
        api("chapter-detail", ref=book.second.translation_key),
        api("chapter-detail", ref=book.third.translation_key),
        api("city-detail", ref=book.cannes.translation_key),
        api("sector-detail", ref=book.cinema.translation_key),
        api("contributor-list"),
        f"{api('chapter-detail', ref=book.second.translation_key)}?locale=en",
    ]
    before = etags(client, shows_first + unrelated)
    republish(book.first, title="Écrire avec la machine, encore")
    after = etags(client, shows_first + unrelated)
    assert all(before[path] != after[path] for path in shows_first)
    assert all(before[path] == after[path] for path in unrelated)
    assert (
        "encore" in fresh(client, api("contributor-detail", ref=book.andrea.translation_key)).content.decode()
    )
    english = fresh(client, f"{api('chapter-detail', ref=book.first.translation_key)}?locale=en").json()
    assert english["translation"]["outdated"] is True


def every_endpoint(book):
    """The addresses of every kind of response, read in French and in English."""
    paths = {}
    for code in ("fr", "en"):
        query = f"?locale={code}"
        paths.update(
            {
                f"{code} book": api("book-detail", ref=book.book.translation_key) + query,
                f"{code} books": api("book-list") + query,
                f"{code} chapters": api("chapter-list") + query,
                f"{code} contributors": api("contributor-list") + query,
                f"{code} themes": api("theme-list") + query,
                f"{code} cities": api("city-list") + query,
                f"{code} sectors": api("sector-list") + query,
                f"{code} first chapter": api("chapter-detail", ref=book.first.translation_key) + query,
                f"{code} second chapter": api("chapter-detail", ref=book.second.translation_key) + query,
                f"{code} third chapter": api("chapter-detail", ref=book.third.translation_key) + query,
                f"{code} andrea": api("contributor-detail", ref=book.andrea.translation_key) + query,
                f"{code} jarre": api("contributor-detail", ref=book.jarre.translation_key) + query,
                f"{code} practices": api("theme-detail", ref=book.practices.translation_key) + query,
                f"{code} audiences": api("theme-detail", ref=book.audiences.translation_key) + query,
                f"{code} cannes": api("city-detail", ref=book.cannes.translation_key) + query,
                f"{code} cinema": api("sector-detail", ref=book.cinema.translation_key) + query,
                f"{code} search": api("search") + f"{query}&q=machine",
                f"{code} search of the chapter": api("search") + f"{query}&q=composer",
            }
        )
    paths["locales"] = api("locale-list")
    paths["changes"] = api("changes")
    return paths


def test_a_french_chapter_changes_the_etags_of_what_shows_it_in_every_language_and_nothing_else(client, book):
    """The second chapter has no English version: English readers see it only where they fall back to
    French (its detail, and its contributor's and theme's, who have no English version either)."""
    paths = every_endpoint(book)
    before = {name: fresh(client, path) for name, path in paths.items()}
    assert all(response.status_code == 200 for response in before.values())
    republish(book.second, title="Composer, encore")
    after = {name: fresh(client, path) for name, path in paths.items()}
    changed = {name for name in paths if before[name]["ETag"] != after[name]["ETag"]}
    assert changed == {
        "fr book",
        "fr chapters",
        "fr second chapter",
        "fr jarre",
        "fr practices",
        "fr search of the chapter",
        "en second chapter",
        "en jarre",
        "en practices",
        "changes",
    }
    # The ETag follows the body: what did not change reads the same.
    assert {name for name in paths if before[name].content != after[name].content} <= changed


def test_an_english_publication_leaves_the_cached_french_book_and_a_french_one_replaces_it(
    client, book, django_assert_num_queries
):
    """French readers are shown no English content; English readers fall back to French."""
    french_book = api("book-detail", ref=book.book.translation_key) + "?locale=fr"
    french_search = api("search") + "?locale=fr&q=composer"
    etag = client.get(french_book)["ETag"]
    client.get(french_search)
    republish(book.en_first, title="Writing with the machine, again")
    with django_assert_num_queries(0):
        assert client.get(french_book, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(french_search).status_code == 200
    republish(book.second, title="Composer, encore")
    response = client.get(french_book, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Composer, encore" in response.content.decode()
    assert "Composer, encore" in client.get(french_search).content.decode()


def test_a_chapter_made_private_leaves_every_cached_response_in_the_same_transaction(client, book):
    paths = every_endpoint(book)
    paths["whole book"] = api("book-detail", ref=book.book.translation_key) + "?include=chapters"
    for path in paths.values():
        read(client.get(path))
    with transaction.atomic():
        PageViewRestriction.objects.create(page=book.part_one, restriction_type="password", password="x")
        for name, path in paths.items():
            content = read(client.get(path))
            assert b"Composer" not in content and b"Writing with the machine" not in content, name


def read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


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


PUBLIC = "https://api.example.org/api/v1"


@pytest.fixture
def purged(settings, monkeypatch):
    """The URLs purged from a CDN, which is configured."""
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {"BACKEND": "api.cdn.HTTPPurgeBackend", "LOCATION": "http://127.0.0.1:9"}
    }
    urls = []
    monkeypatch.setattr(cdn, "purge_urls_from_cache", urls.extend)
    return urls


def detail_urls(segment, item, code):
    urls = {f"{PUBLIC}/{segment}/{ref}/?locale={code}" for ref in (item.translation_key, item.slug)}
    if code == "fr":
        urls |= {f"{PUBLIC}/{segment}/{ref}/" for ref in (item.translation_key, item.slug)}
    return urls


def test_a_publication_builds_again_what_it_made_stale_once_committed_and_purges_what_changed(
    client, book, purged, django_capture_on_commit_callbacks
):
    for path in every_endpoint(book).values():
        fresh(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        republish(book.second, title="Composer, encore")
    # Built again without waiting for a read.
    assert not documents.stale()
    stored = StoredDocument.objects.get(
        key=book.second.translation_key.hex, locale_id=book.french.pk, shape="d"
    )
    assert b"Composer, encore" in bytes(stored.body)
    # The CDN is purged of exactly the stored documents whose body changed; the table of contents
    # and the book list are made at each request, and purged as ever.
    documents_purged = {url for url in purged if "/books/" not in url}
    assert documents_purged == (
        detail_urls("chapters", book.second, "fr")
        | detail_urls("chapters", book.second, "en")
        | detail_urls("contributors", book.jarre, "fr")
        | detail_urls("contributors", book.jarre, "en")
        | detail_urls("themes", book.practices, "fr")
        | detail_urls("themes", book.practices, "en")
        | {f"{PUBLIC}/chapters/?locale=fr", f"{PUBLIC}/chapters/"}
    )


def test_lists_and_books_are_purged_only_when_their_body_changed(
    client, book, purged, django_capture_on_commit_callbacks
):
    books = f"{PUBLIC}/books/"
    french_book = {
        f"{books}{ref}/{query}"
        for ref in (book.book.translation_key, book.book.slug)
        for query in ("", "?locale=fr")
    }
    english_book = {f"{books}{ref}/?locale=en" for ref in (book.book.translation_key, book.book.slug)}
    book_lists = {books, f"{books}?locale=fr"}
    with django_capture_on_commit_callbacks(execute=True):
        republish(book.third, title="Partager, encore")
    # Never looked at before: purged.
    assert french_book | english_book | book_lists <= set(purged)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        republish(book.third)
    # Published again as it was: the table of contents and the book list read the same. The chapter
    # list shows when it was published.
    assert not {url for url in purged if url.startswith(books)}
    assert f"{PUBLIC}/chapters/?locale=fr" in purged
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        republish(book.third, title="Partager, autrement")
    # Its new title is in the French table of contents; the English one shows no chapter of that part,
    # and the book list no chapter at all.
    assert {url for url in purged if url.startswith(books)} == french_book
    assert b"Partager, autrement" in fresh(client, api("book-detail", ref=book.book.slug)).content


def test_the_documents_of_an_unpublished_then_deleted_chapter_are_deleted_once_committed(
    client, book, purged, django_capture_on_commit_callbacks
):
    for path in every_endpoint(book).values():
        fresh(client, path)
    key = book.second.translation_key.hex
    assert StoredDocument.objects.filter(key=key).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        ChapterPage.objects.get(pk=book.second.pk).unpublish()
    assert not StoredDocument.objects.filter(key=key).exists()
    assert not documents.stale()
    assert detail_urls("chapters", book.second, "en") <= set(purged)
    # It may be published again: what its documents show is kept until then.
    assert DocumentDependency.objects.filter(key=key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        ChapterPage.objects.get(pk=book.second.pk).delete()
    assert not DocumentDependency.objects.filter(key=key).exists()


def test_the_worker_builds_again_what_is_still_stale(client, book):
    for path in every_endpoint(book).values():
        fresh(client, path)
    # Not committed (the test's transaction): nothing was built again yet.
    republish(book.second, title="Composer, encore")
    assert documents.stale()
    worker_tick.send(sender=None)
    assert not documents.stale()


def test_missing_summaries_are_built_together_in_a_fixed_number_of_queries(client, book):
    def list_queries():
        StoredDocument.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert fresh(client, api("chapter-list")).status_code == 200
        return len(captured), StoredDocument.objects.filter(shape=StoredDocument.SUMMARY).count()

    few, built = list_queries()
    assert built == 3
    for number in range(6):
        ChapterPageFactory(parent=book.part_two, title=f"Chapitre {number}", slug=f"chapitre-{number}")
    assert list_queries() == (few, 9)


def test_publishing_a_chapter_stales_only_the_documents_that_show_it(client, book):
    """Summaries built together, as a list builds them, each depend on what they show; the contributors
    and themes listing the chapter are built again, the other chapters that show them are not."""
    call_command("rebuild_documents", stdout=StringIO(), stderr=StringIO())
    StoredDocument.objects.filter(shape=StoredDocument.SUMMARY).delete()
    for code in ("fr", "en"):
        for name in ("chapter", "contributor", "theme", "city", "sector"):
            assert fresh(client, api(f"{name}-list") + f"?locale={code}").status_code == 200
    assert StoredDocument.objects.filter(shape=StoredDocument.SUMMARY).count() == 13
    assert not documents.stale()
    republish(book.third, title="Partager, encore")
    shown_in = {book.french.pk, book.english.pk}
    assert documents.stale() == {
        (kind, item.translation_key.hex, locale_id)
        for kind, item in (("chapter", book.third), ("contributor", book.andrea), ("theme", book.audiences))
        for locale_id in shown_in
    }
    # And everything that shows it, built again, shows it.
    worker_tick.send(sender=None)
    for path in (
        api("chapter-list"),
        api("contributor-detail", ref=book.andrea.translation_key),
        api("theme-detail", ref=book.audiences.translation_key) + "?locale=en",
    ):
        assert "Partager, encore" in fresh(client, path).content.decode(), path


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


def test_the_migration_after_earlier_provenance_forgets_the_documents_and_the_responses_cached_from_them(
    client, book
):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("api.migrations.0004_documents_after_earlier_provenance")
    path = api("chapter-detail", ref=book.first.translation_key)
    first = client.get(path)
    assert first.status_code == 200
    assert StoredDocument.objects.filter(key=book.first.translation_key.hex).exists()
    tokens = http.read_tokens(["all"])

    migration.forget_documents(apps, SimpleNamespace(connection=connection))

    assert not StoredDocument.objects.exists()
    assert http.read_tokens(["all"]) != tokens, (
        "responses cached from the old documents would still be served"
    )
    again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert StoredDocument.objects.filter(key=book.first.translation_key.hex).exists()
