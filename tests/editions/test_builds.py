"""Building an edition: where its file goes, what a failure or a second build at once does."""

import hashlib
import threading
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone, translation

from book.models import Edition
from editions import builds

from .conftest import use_builder

# The builders are stood in for: these tests are about storing, scheduling and serving builds.
pytestmark = pytest.mark.usefixtures("small_builders")


def edition_of(book_page, format_name="epub"):
    [edition] = builds.editions_of([book_page], [format_name])
    return edition


def stored_names():
    try:
        folders, _files = default_storage.listdir("editions")
    except FileNotFoundError:
        return set()
    return {
        f"editions/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"editions/{folder}")[1]
    }


def test_build_stores_a_content_addressed_readable_file(book):
    edition = builds.build(edition_of(book.book))

    data = edition.file.read()
    sha256 = hashlib.sha256(data).hexdigest()
    assert edition.file.name == f"editions/{sha256[:16]}/ia-et-creation-fr.epub"
    assert edition.sha256 == sha256
    assert edition.bytes == len(data)
    assert edition.state == Edition.State.CURRENT
    assert edition.media_type == "application/epub+zip"
    assert edition.built_at is not None and edition.build_seconds is not None
    assert edition.outdated_since is None
    with zipfile.ZipFile(edition.file.open()) as archive:
        assert "Écrire avec la machine" in archive.read("contents.txt").decode()


def test_english_edition_is_named_after_its_own_title(book):
    edition = builds.build(edition_of(book.en_book, "pdf"))

    assert edition.file.name.endswith("/ai-and-creation-en.pdf")
    assert edition.complete is False
    assert edition.warnings == ["A test warning."]


def test_same_content_writes_no_new_file(book):
    first = builds.build(edition_of(book.book))
    names = stored_names()

    second = builds.build(Edition.objects.get(pk=first.pk))

    assert stored_names() == names == {first.file.name}
    assert second.file.name == first.file.name
    assert second.built_at == first.built_at


def test_new_content_gets_a_new_file_and_the_old_one_goes_once_the_new_is_recorded(
    book, django_capture_on_commit_callbacks
):
    first = builds.build(edition_of(book.book))
    book.third.unpublish()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        second = builds.build(Edition.objects.get(pk=first.pk))
    # Recorded but not committed yet: both files are there, readers still get the old one.
    assert second.sha256 != first.sha256
    assert stored_names() == {first.file.name, second.file.name}
    for callback in pending:
        callback()

    assert stored_names() == {second.file.name}
    assert not default_storage.exists(first.file.name.rsplit("/", 1)[0])
    with zipfile.ZipFile(second.file.open()) as archive:
        assert "Partager" not in archive.read("contents.txt").decode()


def test_a_file_another_edition_still_names_is_not_deleted(book, django_capture_on_commit_callbacks):
    first = builds.build(edition_of(book.book))
    # Another record (a copy kept under another format's row) points at the same file.
    other = edition_of(book.book, "pdf")
    Edition.objects.filter(pk=other.pk).update(file=first.file.name, sha256=first.sha256)
    book.third.unpublish()

    with django_capture_on_commit_callbacks(execute=True):
        second = builds.build(Edition.objects.get(pk=first.pk))

    assert stored_names() == {first.file.name, second.file.name}


def test_a_rebuild_to_the_same_bytes_deletes_nothing(book, django_capture_on_commit_callbacks):
    first = builds.build(edition_of(book.book))

    with django_capture_on_commit_callbacks(execute=True):
        builds.build(Edition.objects.get(pk=first.pk))

    assert stored_names() == {first.file.name}
    assert Edition.objects.get(pk=first.pk).file.read() == first.file.read()


def test_a_failed_deletion_is_logged_and_the_build_stands(
    book, django_capture_on_commit_callbacks, monkeypatch
):
    first = builds.build(edition_of(book.book))
    book.third.unpublish()

    from django.core.files.storage import storages

    def refuse(storage, name):
        raise PermissionError(name)

    monkeypatch.setattr(type(storages["default"]), "delete", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        second = builds.build(Edition.objects.get(pk=first.pk))

    assert Edition.objects.get(pk=first.pk).file.name == second.file.name
    assert Edition.objects.get(pk=first.pk).state == Edition.State.CURRENT


def test_failed_build_keeps_the_previous_file_and_records_the_error(book, monkeypatch):
    good = builds.build(edition_of(book.book))
    use_builder(monkeypatch, "epub", "crashing")

    with pytest.raises(builds.BuildFailed, match="printer caught fire"):
        builds.build(Edition.objects.get(pk=good.pk))

    failed = Edition.objects.get(pk=good.pk)
    assert failed.state == Edition.State.FAILED
    assert failed.error == "RuntimeError: The printer caught fire."
    assert failed.file.name == good.file.name
    assert failed.sha256 == good.sha256
    assert failed.file.read() == Edition.objects.get(pk=good.pk).file.read()
    assert stored_names() == {good.file.name}


def test_book_not_published_in_the_language_fails_with_the_reason(book):
    edition = edition_of(book.en_book)
    book.en_book.unpublish()

    with pytest.raises(builds.BuildFailed), translation.override("en"):
        builds.build(edition)

    edition.refresh_from_db()
    assert edition.state == Edition.State.FAILED
    assert edition.error == "The book is not published in this language."


def test_second_build_of_one_edition_is_refused_while_the_first_runs(book):
    edition = edition_of(book.book)
    assert builds.claim(edition)

    with pytest.raises(builds.BuildInProgress):
        builds.build(edition)

    assert Edition.objects.get(pk=edition.pk).state == Edition.State.BUILDING
    assert not stored_names()


def test_build_left_running_by_a_dead_process_is_taken_over(book, settings):
    edition = edition_of(book.book)
    Edition.objects.filter(pk=edition.pk).update(
        state=Edition.State.BUILDING,
        building_since=timezone.now() - timezone.timedelta(seconds=settings.EDITIONS_BUILD_TIMEOUT + 1),
    )

    assert builds.build(edition).state == Edition.State.CURRENT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test database is one connection")
def test_concurrent_claims_let_one_build_run(book):
    edition = edition_of(book.book)
    start = threading.Barrier(8)
    results = []

    def attempt():
        try:
            start.wait()
            results.append(builds.claim(edition))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]
