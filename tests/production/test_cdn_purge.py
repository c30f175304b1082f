"""Publishing, unpublishing, moving and deleting purge the API's URLs from the CDN.

A stored document is purged when its body changed or it is gone, so the tests read what a CDN
would keep before they change it.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient
from wagtail.models import Locale

from book.models import BookPage, ChapterPage, City, PartPage

pytestmark = pytest.mark.django_db

API = "https://api.example.org/api/v1"


class PurgeReceiver(ThreadingHTTPServer):
    """A cache front end on loopback that records the URLs it is asked to purge."""

    def __init__(self):
        self.purged = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                receiver.purged.append(f"https://{self.headers['Host']}{self.path}")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def location(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def receiver():
    server = PurgeReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def cdn(settings, receiver):
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "api.cdn.HTTPPurgeBackend",
            "LOCATION": receiver.location,
        }
    }
    return receiver


def french(model):
    if model is City:
        return City.objects.filter(live=True, locale__language_code="fr").order_by("pk")
    return model.objects.live().filter(locale__language_code="fr").order_by("path")


def detail_urls(kind, item, *codes, source=True):
    urls = set()
    for ref in (item.translation_key, item.slug):
        urls |= {f"{API}/{kind}/{ref}/?locale={code}" for code in codes}
        if source:
            urls.add(f"{API}/{kind}/{ref}/")
    return urls


def chapter_urls(chapter, book, codes=None):
    """The URLs showing a French chapter: in ``codes`` (every language by default) for its detail."""
    every = sorted(Locale.objects.values_list("language_code", flat=True))
    codes = every if codes is None else codes
    return (
        (detail_urls("chapters", chapter, *codes) if codes else set())
        | {f"{API}/chapters/?locale=fr", f"{API}/chapters/"}
        | detail_urls("books", book, *every)
        | {f"{API}/books/?locale=fr", f"{API}/books/"}
    )


def read(urls):
    """Read as a CDN would: the documents of what is read are stored."""
    client = APIClient()
    for url in urls:
        client.get(url.removeprefix("https://api.example.org"))


def bodies(urls):
    """What each URL answers, ``{url: (status, body)}``."""
    client = APIClient()
    found = {}
    for url in urls:
        response = client.get(url.removeprefix("https://api.example.org"))
        found[url] = (response.status_code, response.content)
    return found


def assert_purged_as_changed(before, purged):
    """Every URL of ``before`` whose answer changed since is purged; the lists and books that read the
    same are not (they were looked at when last purged)."""
    after = bodies(before)
    changed = {url for url in before if before[url] != after[url]}
    assert changed <= set(purged)
    made_at_each_request = {
        url for url in before if "/books/" in url or url.split("?")[0].rstrip("/").count("/") <= 5
    }
    assert changed and not (made_at_each_request - changed) & set(purged)


def served_french(chapter, book):
    """The languages whose readers are served the French ``chapter``; its URLs read in every language."""
    read(chapter_urls(chapter, book))
    codes = []
    for code in sorted(Locale.objects.values_list("language_code", flat=True)):
        response = APIClient().get(f"/api/v1/chapters/{chapter.translation_key}/", {"locale": code})
        if response.status_code == 200 and response.json()["locale"] == "fr":
            codes.append(code)
    return codes


def test_publishing_a_chapter_purges_its_urls(cdn, demo_book, django_capture_on_commit_callbacks):
    chapter = french(ChapterPage).first()
    codes = served_french(chapter, demo_book)
    chapter.title = "Écrire autrement"
    with django_capture_on_commit_callbacks(execute=True):
        chapter.save_revision().publish()
    assert chapter_urls(chapter, demo_book, codes) <= set(cdn.purged)


def test_unpublishing_and_deleting_a_chapter_purge_its_urls(
    cdn, demo_book, django_capture_on_commit_callbacks
):
    chapter, other = french(ChapterPage)[:2]
    read(chapter_urls(chapter, demo_book) | chapter_urls(other, demo_book))
    with django_capture_on_commit_callbacks(execute=True):
        chapter.unpublish()
    assert chapter_urls(chapter, demo_book) <= set(cdn.purged)

    cdn.purged.clear()
    before = bodies(chapter_urls(other, demo_book))
    with django_capture_on_commit_callbacks(execute=True):
        ChapterPage.objects.get(pk=other.pk).delete()
    assert_purged_as_changed(before, cdn.purged)


def test_moving_a_chapter_purges_its_urls(cdn, demo_book, django_capture_on_commit_callbacks):
    chapter = french(ChapterPage).first()
    codes = served_french(chapter, demo_book)
    elsewhere = french(PartPage).exclude(pk=chapter.get_parent().pk).first()
    with django_capture_on_commit_callbacks(execute=True):
        chapter.move(elsewhere, pos="last-child")
    assert chapter_urls(chapter, demo_book, codes) <= set(cdn.purged)


def test_a_translation_purges_its_language_only(cdn, demo_book, django_capture_on_commit_callbacks):
    english = ChapterPage.objects.live().filter(locale__language_code="en").first()
    assert english is not None
    book = BookPage.objects.get(locale__language_code="en")
    read(
        detail_urls("chapters", english, "en", "fr")
        | {f"{API}/chapters/?locale=en", f"{API}/chapters/?locale=fr"}
    )
    english.title = "Writing otherwise"
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    purged = set(cdn.purged)
    assert detail_urls("chapters", english, "en", source=False) <= purged
    assert detail_urls("books", book, "en", source=False) <= purged
    assert f"{API}/chapters/?locale=en" in purged
    assert f"{API}/chapters/{english.translation_key}/" not in purged
    assert f"{API}/chapters/?locale=fr" not in purged


def test_publishing_and_deleting_a_city_purges_its_urls(cdn, demo_book, django_capture_on_commit_callbacks):
    city = french(City).first()
    expected = detail_urls("cities", city, "fr") | {f"{API}/cities/?locale=fr", f"{API}/cities/"}
    read(expected)
    city.name = "Cannes-la-Bocca"
    with django_capture_on_commit_callbacks(execute=True):
        city.save_revision().publish()
    assert expected <= set(cdn.purged)

    cdn.purged.clear()
    read(expected)
    with django_capture_on_commit_callbacks(execute=True):
        city.unpublish()
    assert expected <= set(cdn.purged)

    cdn.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        city.save_revision().publish()
    read(expected)
    with django_capture_on_commit_callbacks(execute=True):
        City.objects.get(pk=city.pk).delete()
    assert expected <= set(cdn.purged)


def test_a_new_language_purges_the_list_of_languages(cdn, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Locale.objects.create(language_code="ru")
    assert cdn.purged == [f"{API}/locales/"]


def test_nothing_is_purged_when_no_cdn_is_configured(
    settings, receiver, demo_book, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    chapter = french(ChapterPage).first()
    with django_capture_on_commit_callbacks(execute=True):
        chapter.save_revision().publish()
        chapter.unpublish()
    assert receiver.purged == []


class SilentFrontEnd:
    """A cache front end that accepts connections and never answers."""

    def __init__(self):
        import socket

        self.socket = socket.create_server(("127.0.0.1", 0))
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    @property
    def location(self):
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def close(self):
        self.socket.close()
        for connection in self.connections:
            connection.close()


def test_a_front_end_that_does_not_answer_holds_the_publication_once_for_the_timeout(
    settings, demo_book, django_capture_on_commit_callbacks, caplog
):
    silent = SilentFrontEnd()
    settings.API_PUBLIC_BASE_URL = "https://api.example.org"
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "api.cdn.HTTPPurgeBackend", "LOCATION": silent.location, "TIMEOUT": 0.2}
    }
    chapter = french(ChapterPage).first()
    read(chapter_urls(chapter, demo_book))
    chapter.title = "Écrire autrement"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            chapter.save_revision().publish()
    finally:
        silent.close()

    # One URL waited for per batch (Wagtail purges the page's own URL in a batch of its own;
    # the table of contents and the stored documents are two more), then the rest of the batch
    # given up: not a timeout per URL.
    assert ChapterPage.objects.get(pk=chapter.pk).live
    errors = [record.getMessage() for record in caplog.records if record.name == "wagtail.frontendcache"]
    waited = [error for error in errors if error.startswith("Couldn't purge")]
    assert len(silent.connections) == len(waited) <= 3
    assert any(error.startswith("Couldn't purge 'https://api.example.org/api/v1/") for error in waited)
    gave_up = [int(error.split()[3]) for error in errors if "the cache front end is unreachable" in error]
    assert len(chapter_urls(chapter, demo_book)) - len(waited) <= sum(gave_up)


def test_a_purge_refused_by_the_front_end_is_logged_and_the_others_sent(
    cdn, demo_book, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    from api import cdn as cdn_module

    city = french(City).first()
    expected = sorted(detail_urls("cities", city, "fr"))
    read(expected)
    city.name = "Cannes-la-Bocca"
    refused = expected[0]
    answer = cdn_module.requests.request

    def refuse_first(method, url, **kwargs):
        response = answer(method, url, **kwargs)
        if urlsplit(url)[2:4] == urlsplit(refused)[2:4]:
            response.status_code = 503
        return response

    monkeypatch.setattr(cdn_module.requests, "request", refuse_first)
    with django_capture_on_commit_callbacks(execute=True):
        city.save_revision().publish()

    assert set(expected) <= set(cdn.purged)
    assert f"Couldn't purge '{refused}' from HTTP cache: HTTP 503" in caplog.text


def test_a_section_made_private_or_public_again_purges_its_pages(
    cdn, demo_book, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    chapter = french(ChapterPage).first()
    part = chapter.get_parent().specific
    codes = served_french(chapter, demo_book)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=part, restriction_type="login")
    assert chapter_urls(chapter, demo_book, codes) <= set(cdn.purged)

    cdn.purged.clear()
    before = bodies(chapter_urls(chapter, demo_book, codes=()))
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    # Its own addresses answered 404 meanwhile, which no CDN keeps; its book shows it again.
    assert_purged_as_changed(before, cdn.purged)
