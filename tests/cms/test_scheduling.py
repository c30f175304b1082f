"""What editors schedule is published and expired by the worker, as a manual publication would be."""

import datetime
import logging
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page, PageLogEntry, Revision, Site

from api.webhooks.models import ChangeEvent, Delivery
from book.models import City, Sector
from cms import scheduling
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory, SectorFactory
from tests.webhooks.conftest import receiver
from tests.webhooks.factories import SubscriberFactory

API = "https://api.example.org/api/v1"
HOUR = datetime.timedelta(hours=1)


class RecordingBackend(BaseBackend):
    """A CDN that keeps the URLs it is asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture(autouse=True)
def cdn(settings):
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.purged = []
    return RecordingBackend.purged


@pytest.fixture
def clock(monkeypatch):
    """Moves the time every part of the project reads forward: ``clock(hours=1)``."""
    start = timezone.now()

    def later(**delta):
        moment = start + datetime.timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return later


def events(*kinds):
    changes = ChangeEvent.objects.order_by("timestamp", "pk")
    if kinds:
        changes = changes.filter(type__in=kinds)
    return list(changes.values_list("event", "type", "key"))


def book_with_chapter(**chapter):
    book = BookPageFactory(title="IA et création")
    site = Site.objects.get(is_default_site=True)
    site.root_page = book
    site.save()
    part = PartPageFactory(parent=book, title="Pratiques")
    return book, ChapterPageFactory(parent=part, title="Écrire avec la machine", **chapter)


def schedule(item, go_live_at):
    """Publish ``item`` as an editor who set its go-live date does: it waits for that date."""
    item.go_live_at = go_live_at
    item.save_revision().publish()


def api_detail(chapter):
    return APIClient().get(reverse("api:chapter-detail", kwargs={"ref": chapter.translation_key}))


def run_worker_once():
    call_command(
        "run_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", stdout=StringIO()
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduled_chapter_goes_live_when_the_worker_runs_after_its_time(clock, cdn, settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    # The subscriber is a receiver on loopback.
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    book, chapter = book_with_chapter(live=False)
    with receiver() as site:
        SubscriberFactory(url=site.url)
        schedule(chapter, timezone.now() + HOUR)
        run_worker_once()

        chapter.refresh_from_db()
        assert not chapter.live
        assert events("chapter") == []
        assert api_detail(chapter).status_code == 404

        clock(hours=1, seconds=1)
        run_worker_once()

    chapter.refresh_from_db()
    assert chapter.live
    assert events("chapter") == [("published", "chapter", chapter.translation_key)]
    assert api_detail(chapter).status_code == 200
    # Its table of contents and the list it joins; not its own addresses, which answered 404
    # with no-store, which no CDN keeps.
    assert f"{API}/books/{book.translation_key}/" in cdn
    assert f"{API}/chapters/?locale=fr" in cdn
    assert not any(url.startswith(f"{API}/chapters/{chapter.translation_key}/") for url in cdn)
    [request] = [request for request in site.received if request.headers["X-Book-Event"] == "published"]
    assert str(chapter.translation_key) in request.body.decode()
    assert Delivery.objects.get(event__key=chapter.translation_key).status == Delivery.Status.SUCCEEDED
    assert chapter.title in APIClient().get("/").content.decode()


@pytest.mark.django_db
def test_an_expired_chapter_is_unpublished_at_the_tick(clock, cdn, django_capture_on_commit_callbacks):
    book, chapter = book_with_chapter(expire_at=timezone.now() + HOUR)
    chapter.save_revision().publish()
    SubscriberFactory()
    ChangeEvent.objects.all().delete()
    client = APIClient()
    assert client.get(chapter.url).status_code == 200
    # Read before it expires: its documents are stored, and a CDN may keep them.
    assert api_detail(chapter).status_code == 200
    assert client.get(reverse("api:chapter-list")).status_code == 200

    clock(hours=1, seconds=1)
    # Past its expiry the API no longer shows it, but Wagtail still serves the live page.
    assert api_detail(chapter).status_code == 404
    assert client.get(chapter.url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.publish_scheduled() == (1, 0)

    chapter.refresh_from_db()
    assert (chapter.live, chapter.expired) == (False, True)
    assert events() == [("unpublished", "chapter", chapter.translation_key)]
    delivery = Delivery.objects.get()
    assert delivery.event.event == "unpublished"
    assert DBTaskResult.objects.filter(args_kwargs__args=[delivery.pk]).exists()
    assert f"{API}/chapters/{chapter.translation_key}/?locale=fr" in cdn
    assert f"{API}/chapters/?locale=fr" in cdn
    assert f"{API}/books/{book.translation_key}/" in cdn
    assert api_detail(chapter).status_code == 404
    assert client.get(chapter.url).status_code == 404
    preview = client.get("/")
    assert preview.status_code == 200
    assert chapter.title not in preview.content.decode()
    assert PageLogEntry.objects.filter(page=chapter, action="wagtail.unpublish.scheduled").exists()


@pytest.mark.django_db
def test_cities_and_sectors_are_published_and_expired_on_schedule(
    clock, cdn, django_capture_on_commit_callbacks
):
    city = CityFactory(live=False, name="Cannes")
    schedule(city, timezone.now() + HOUR)
    sector = SectorFactory(name="Cinéma", expire_at=timezone.now() + HOUR)
    sector.save_revision().publish()
    ChangeEvent.objects.filter(type="sector").delete()
    # Read before it expires: its document is stored, and a CDN may keep it.
    assert (
        APIClient().get(reverse("api:sector-detail", kwargs={"ref": sector.translation_key})).status_code
        == 200
    )
    # Scheduled is not published: nothing is recorded until it goes live.
    assert events() == []

    clock(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.publish_scheduled() == (1, 1)

    assert City.objects.get(pk=city.pk).live
    assert not Sector.objects.get(pk=sector.pk).live
    assert sorted(events()) == [
        ("published", "city", city.translation_key),
        ("unpublished", "sector", sector.translation_key),
    ]
    # The city answered 404 until now, which no CDN keeps: nothing of it is purged.
    assert not any(url.startswith(f"{API}/cities/{city.translation_key}/") for url in cdn)
    assert any(url.startswith(f"{API}/sectors/{sector.translation_key}/") for url in cdn)


@pytest.mark.django_db
def test_what_another_worker_already_did_is_not_done_twice(clock):
    _book, chapter = book_with_chapter(live=False)
    schedule(chapter, timezone.now() + HOUR)
    city = CityFactory(expire_at=timezone.now() + HOUR)
    city.save_revision().publish()
    ChangeEvent.objects.all().delete()
    now = clock(hours=2)
    # What a second worker listed before the first one published and unpublished.
    [revision] = Revision.objects.filter(approved_go_live_at__lt=now).values_list("pk", flat=True)

    assert scheduling.publish_scheduled() == (1, 1)
    assert not scheduling.publish_revision(revision, now)
    assert not scheduling.expire(City, city.pk, now)

    assert sorted(events()) == [
        ("published", "chapter", chapter.translation_key),
        ("unpublished", "city", city.translation_key),
    ]


@pytest.mark.django_db
def test_a_failing_item_is_left_scheduled_and_the_others_go_on(clock, monkeypatch, caplog):
    _book, first = book_with_chapter(live=False)
    second = ChapterPageFactory(parent=first.get_parent(), live=False)
    schedule(first, timezone.now() + HOUR)
    schedule(second, timezone.now() + HOUR)
    clock(hours=2)
    publish = Revision.publish

    def broken_for_first(revision, **kwargs):
        if revision.object_id == str(first.pk):
            publish(revision, **kwargs)
            raise RuntimeError("storage went away")
        return publish(revision, **kwargs)

    monkeypatch.setattr(Revision, "publish", broken_for_first)
    with caplog.at_level(logging.ERROR, logger="cms.scheduling"):
        assert scheduling.publish_scheduled() == (0, 1)

    # All of the failed publication was undone, and it is tried again at the next tick.
    assert not Page.objects.get(pk=first.pk).live
    assert Revision.objects.filter(object_id=str(first.pk), approved_go_live_at__isnull=False).exists()
    assert Page.objects.get(pk=second.pk).live
    assert events() == [("published", "chapter", second.translation_key)]
    assert f"revision {first.get_latest_revision().pk}" in caplog.text

    monkeypatch.setattr(Revision, "publish", publish)
    assert scheduling.publish_scheduled() == (0, 1)
    assert Page.objects.get(pk=first.pk).live


def test_the_worker_refuses_an_interval_of_zero():
    with pytest.raises(CommandError, match="schedule-interval"):
        call_command("run_worker", "--schedule-interval", "0", "--batch")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is PostgreSQL's; set DATABASE_URL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_passes_over_an_item_another_is_publishing_without_waiting(clock):
    _book, chapter = book_with_chapter(live=False)
    schedule(chapter, timezone.now() + HOUR)
    now = clock(hours=2)
    revision = Revision.objects.get(approved_go_live_at__isnull=False).pk
    claimed, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                due = Revision.objects.filter(pk=revision, approved_go_live_at__lt=now)
                assert scheduling.claim(due, approved_go_live_at=None)
                claimed.set()
                release.wait(30)
                raise RuntimeError("gives up")
        except RuntimeError:
            pass
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert claimed.wait(30)
        assert not scheduling.publish_revision(revision, now)
    finally:
        release.set()
        thread.join()
    # The other worker gave up: the next tick publishes it, once.
    assert scheduling.publish_scheduled() == (0, 1)
    assert events() == [("published", "chapter", chapter.translation_key)]
