"""When Redis goes away the site keeps answering from the database, and caches again when it is back."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from book.models import ChapterPage
from cms.cache import TolerantRedisCache

from .servers import CuttableProxy, RedisServer, free_port

pytestmark = pytest.mark.django_db

CHAPTERS = "/api/v1/chapters/"


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "cms.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_after": 0},
        }
    }


@pytest.fixture(autouse=True)
def forget_outages():
    TolerantRedisCache._outages.clear()
    yield
    TolerantRedisCache._outages.clear()


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_behind_proxy(redis_server):
    """Redis through a relay the test can cut: unreachable, yet holding what it held."""
    proxy = CuttableProxy(redis_server.port)
    proxy.mend()
    yield proxy
    if proxy.listener is not None:
        proxy.cut()


def live_french_chapters():
    return list(
        ChapterPage.objects.live()
        .filter(locale__language_code="fr")
        .order_by("path")
        .values_list("slug", flat=True)
    )


def get_json(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def queries_for(client, path):
    """The database queries answering ``path`` cost, and its JSON."""
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, path)
    return len(queries), body


def test_site_serves_from_the_database_without_redis(client, settings, demo_book, caplog):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    slugs = live_french_chapters()
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        listing = get_json(client, f"{CHAPTERS}?page_size=100")
        detail = get_json(client, f"{CHAPTERS}{slugs[0]}/")
        again = get_json(client, f"{CHAPTERS}{slugs[0]}/")
        login = client.get("/admin/login/")
    assert [chapter["slug"] for chapter in listing["results"]] == slugs
    assert detail["slug"] == slugs[0]
    assert detail["body"]
    assert again == detail
    assert login.status_code == 200
    assert b'name="password"' in login.content
    warnings = [record for record in caplog.records if record.name == "cms.cache"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "unavailable" in warnings[0].getMessage()
    assert "Connection refused" in warnings[0].getMessage()


def test_caching_stops_with_redis_and_resumes_when_it_is_back(
    client, settings, demo_book, redis_server, caplog
):
    settings.CACHES = redis_cache(redis_server.url)
    detail = f"{CHAPTERS}{live_french_chapters()[0]}/"

    first_count, first = queries_for(client, detail)
    cached_count, cached = queries_for(client, detail)
    assert first_count > 0
    assert cached_count == 0
    assert cached == first

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        for _attempt in range(3):
            count, body = queries_for(client, detail)
            assert count > 0
            assert body == first
        assert get_json(client, CHAPTERS)["count"] == len(live_french_chapters())

        redis_server.start()
        count, body = queries_for(client, detail)
        assert count > 0
        cached_count, cached = queries_for(client, detail)
    assert cached_count == 0
    assert cached == first
    messages = [record.getMessage() for record in caplog.records if record.name == "cms.cache"]
    assert len(messages) == 2
    assert "unavailable" in messages[0]
    assert "available again" in messages[1]


def test_what_was_unpublished_while_redis_was_unreachable_stays_gone_when_it_is_back(
    client, settings, demo_book, redis_behind_proxy, caplog
):
    settings.CACHES = redis_cache(redis_behind_proxy.url())
    slug = live_french_chapters()[0]
    detail = f"{CHAPTERS}{slug}/"
    first = client.get(detail)
    assert first.status_code == 200
    assert queries_for(client, detail)[0] == 0
    etag = first["ETag"]

    redis_behind_proxy.cut()
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        ChapterPage.objects.get(slug=slug, locale__language_code="fr").unpublish()
        assert client.get(detail).status_code == 404

        redis_behind_proxy.mend()
        # Redis still holds the version of before, and the response cached under it.
        assert [client.get(detail).status_code for _read in range(5)] == [404] * 5
        assert client.get(detail, HTTP_IF_NONE_MATCH=etag).status_code == 404
    assert slug not in [
        chapter["slug"] for chapter in get_json(client, f"{CHAPTERS}?page_size=100")["results"]
    ]
    messages = [record.getMessage() for record in caplog.records if record.name == "cms.cache"]
    assert "unavailable" in messages[0]
    assert "available again" in messages[-1]
