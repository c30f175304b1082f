"""Changes mark a language's editions outdated and queue one rebuild, which the worker runs."""

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from book.models import Edition
from editions import builds, tasks

# The builders are stood in for: these tests are about storing, scheduling and serving builds.
pytestmark = pytest.mark.usefixtures("small_builders")


@pytest.fixture
def built(book, settings):
    settings.EDITIONS_REBUILD_DELAY = 0
    editions = [builds.build(edition) for edition in builds.editions_of([book.book, book.en_book])]
    DBTaskResult.objects.all().delete()
    return editions


def queued_rebuilds():
    return DBTaskResult.objects.filter(task_path="editions.tasks.rebuild_language", status="READY")


def run_worker():
    """Run every due task of the worker's backend, as ``run_worker --batch`` does, in the test's transaction.

    (The worker itself opens transactions of its own, which a test's cannot contain.)
    """
    while True:
        due = list(DBTaskResult.objects.ready().filter(backend_name=settings.EDITIONS_TASK_BACKEND))
        if not due:
            return
        for result in due:
            result.claim("test")
            result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            result.set_successful(None)


def test_publication_marks_its_language_outdated_and_queues_a_rebuild(
    book, built, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book.second.save_revision().publish()

    french = Edition.objects.filter(locale=book.french)
    assert {edition.state for edition in french} == {Edition.State.OUTDATED}
    assert {(edition.outdated_change, edition.outdated_subject) for edition in french} == {
        ("published", "Composer")
    }
    assert {edition.state for edition in Edition.objects.filter(locale=book.english)} == {
        Edition.State.CURRENT
    }
    assert [task.args_kwargs["args"] for task in queued_rebuilds()] == [[book.french.pk]]


def test_ten_approvals_give_one_build_of_the_latest_state(
    book, built, small_builders, django_capture_on_commit_callbacks
):
    small_builders.clear()
    for number in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            book.second.title = f"Composer {number}"
            book.second.save_revision().publish()

    assert queued_rebuilds().count() == 1
    run_worker()

    assert sorted(small_builders) == [("epub", book.book.pk), ("pdf", book.book.pk)]
    epub = Edition.objects.get(locale=book.french, format="epub")
    assert epub.state == Edition.State.CURRENT
    assert epub.outdated_since is None and epub.rebuild_after is None
    assert b"Composer 9" in _contents(epub)


def _contents(edition):
    import zipfile

    with zipfile.ZipFile(edition.file.open()) as archive:
        return archive.read("contents.txt")


def test_rebuild_waits_for_the_delay(book, built, settings, django_capture_on_commit_callbacks):
    settings.EDITIONS_REBUILD_DELAY = 600
    with django_capture_on_commit_callbacks(execute=True):
        book.third.unpublish()

    [queued] = queued_rebuilds()
    assert (queued.run_after - queued.enqueued_at).total_seconds() == pytest.approx(600, abs=5)
    run_worker()
    assert Edition.objects.get(locale=book.french, format="epub").state == Edition.State.OUTDATED


def test_change_during_a_build_leaves_it_outdated_for_the_next_rebuild(
    book, built, django_capture_on_commit_callbacks
):
    epub = Edition.objects.get(locale=book.french, format="epub")
    assert builds.claim(epub)
    with django_capture_on_commit_callbacks(execute=True):
        book.third.unpublish()
    # The build under way carries on; it is not marked as something else meanwhile.
    assert Edition.objects.get(pk=epub.pk).state == Edition.State.BUILDING

    finished = builds.finish(
        epub, builds.FORMATS["epub"], epub.file.name, epub.sha256, _built(epub), seconds=1.0
    )

    assert finished.state == Edition.State.OUTDATED
    assert queued_rebuilds().count() == 1


def _built(edition):
    from editions.formats import Built

    return Built(data=edition.file.open().read(), complete=True, warnings=())


@pytest.mark.parametrize(
    "change",
    ["unpublish", "move", "delete", "privacy"],
)
def test_each_kind_of_change_outdates_the_language(book, built, change, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        if change == "unpublish":
            book.en_first.unpublish()
        elif change == "move":
            book.third.move(book.part_one, pos="last-child")
        elif change == "delete":
            book.third.delete()
        else:
            PageViewRestriction.objects.create(page=book.part_two, restriction_type=PageViewRestriction.LOGIN)

    changed_locale = book.english if change == "unpublish" else book.french
    states = {edition.state for edition in Edition.objects.filter(locale=changed_locale)}
    assert states == {Edition.State.OUTDATED}
    # Wagtail unpublishes a page before deleting it: the first change is what the editions show.
    expected = {"unpublish": "unpublished", "move": "moved", "delete": "unpublished", "privacy": "privacy"}[
        change
    ]
    assert set(Edition.objects.filter(locale=changed_locale).values_list("outdated_change", flat=True)) == {
        expected
    }


def test_city_change_outdates_its_language(book, built, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book.cannes.name = "Cannes-la-Bocca"
        book.cannes.save()

    assert set(Edition.objects.filter(locale=book.french).values_list("state", flat=True)) == {"outdated"}
    assert set(Edition.objects.filter(locale=book.english).values_list("state", flat=True)) == {"current"}


def test_failed_rebuild_is_recorded_and_other_formats_still_build(
    book, built, monkeypatch, django_capture_on_commit_callbacks
):
    from .conftest import use_builder

    use_builder(monkeypatch, "pdf", "crashing")
    with django_capture_on_commit_callbacks(execute=True):
        book.third.unpublish()
    run_worker()

    pdf = Edition.objects.get(locale=book.french, format="pdf")
    epub = Edition.objects.get(locale=book.french, format="epub")
    assert pdf.state == Edition.State.FAILED and "printer caught fire" in pdf.error
    assert epub.state == Edition.State.CURRENT
    assert pdf.file.name == next(e for e in built if e.pk == pdf.pk).file.name


def test_build_now_is_queued_for_the_worker(book, built, small_builders):
    epub = Edition.objects.get(locale=book.english, format="epub")
    small_builders.clear()
    tasks.request_build(epub)

    assert small_builders == []
    run_worker()
    assert small_builders == [("epub", book.en_book.pk)]
