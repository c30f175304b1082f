"""The change feed lists what changed in the order it was recorded, from a moment or a cursor,
filtered by language and kind."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient
from wagtail.models import Locale

from api.documents import content_changed
from api.webhooks import signals
from api.webhooks.models import ChangeEvent
from api.webhooks.serializers import decode_cursor, encode_cursor
from tests.factories import ChapterPageFactory, CityFactory

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
KEY = "0b0f5a43-7c1e-4f55-9a0e-4b8b7d3c2a10"


@pytest.fixture
def client():
    return APIClient()


def change(minutes, event="published", type="chapter", locale="fr"):
    return ChangeEvent.objects.create(
        event=event,
        key=KEY,
        locale=locale,
        type=type,
        url=f"https://api.example.org/api/v1/{type}s/{KEY}/?locale={locale}",
        timestamp=T0 + timedelta(minutes=minutes),
    )


@pytest.fixture
def history():
    Locale.objects.create(language_code="en")
    return [
        change(1),
        change(2, "unpublished", locale="en"),
        change(3, "deleted"),
        change(4, type="city"),
    ]


def listed(response):
    assert response.status_code == 200, response.content
    return [
        (item["event"], item["type"], item["locale"], item["timestamp"])
        for item in response.json()["results"]
    ]


def test_the_feed_is_routed_where_the_api_lives():
    assert reverse("api:changes") == FEED


def test_changes_are_listed_in_the_order_recorded_with_their_shape(client, history):
    response = client.get(FEED)

    assert listed(response) == [
        ("published", "chapter", "fr", "2025-03-01T08:01:00Z"),
        ("unpublished", "chapter", "en", "2025-03-01T08:02:00Z"),
        ("deleted", "chapter", "fr", "2025-03-01T08:03:00Z"),
        ("published", "city", "fr", "2025-03-01T08:04:00Z"),
    ]
    assert response.json()["results"][0] == {
        "event": "published",
        "key": KEY,
        "locale": "fr",
        "type": "chapter",
        "url": f"http://testserver/api/v1/chapters/{KEY}/?locale=fr",
        "timestamp": "2025-03-01T08:01:00Z",
        "cursor": encode_cursor(history[0].pk),
    }


def test_the_order_is_that_of_recording_not_of_the_clocks(client):
    # Servers whose clocks differ may stamp a later change with an earlier time.
    first, second = change(5), change(2)

    assert [item["cursor"] for item in client.get(FEED).json()["results"]] == [
        encode_cursor(first.pk),
        encode_cursor(second.pk),
    ]


def test_addresses_are_the_apis_own_not_the_configured_base_url(client, history, settings):
    settings.ALLOWED_HOSTS = ["books.example.net"]
    results = client.get(FEED, HTTP_HOST="books.example.net:8443", secure=True).json()["results"]

    assert results[1]["url"] == f"https://books.example.net:8443/api/v1/chapters/{KEY}/?locale=en"
    assert ChangeEvent.objects.get(pk=history[1].pk).url.startswith("https://api.example.org/")


@pytest.mark.parametrize(
    "since",
    ["2025-03-01T08:02:00Z", "2025-03-01T08:02:00+00:00", "2025-03-01T09:02:00+01:00", "2025-03-01T08:02:00"],
)
def test_since_keeps_the_changes_at_or_after_the_moment_in_any_offset(client, history, since):
    assert [row[3] for row in listed(client.get(FEED, {"since": since}))] == [
        "2025-03-01T08:02:00Z",
        "2025-03-01T08:03:00Z",
        "2025-03-01T08:04:00Z",
    ]


def test_an_unencoded_plus_sign_in_since_is_still_read_as_an_offset(client, history):
    response = client.get(f"{FEED}?since=2025-03-01T09:03:00+01:00")

    assert [row[3] for row in listed(response)] == ["2025-03-01T08:03:00Z", "2025-03-01T08:04:00Z"]


def test_since_with_an_offset_no_database_takes_is_read_in_utc(client, history):
    # ISO 8601 allows offsets up to ±23:59; PostgreSQL refuses beyond ±15:59.
    response = client.get(FEED, {"since": "2025-03-01T08:02:00-23:05"})
    assert response.status_code == 200
    assert listed(response) == []
    assert len(listed(client.get(FEED, {"since": "2025-02-28T09:00:00-23:00"}))) == 4


def test_since_that_cannot_be_read_in_utc_is_a_400(client, history):
    response = client.get(FEED, {"since": "0001-01-01T00:00:00+23:00"})
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "since"


def test_locale_and_type_narrow_the_feed(client, history):
    assert listed(client.get(FEED, {"locale": "en"})) == [
        ("unpublished", "chapter", "en", "2025-03-01T08:02:00Z")
    ]
    assert [row[:2] for row in listed(client.get(FEED, {"type": "city"}))] == [("published", "city")]
    assert listed(client.get(FEED, {"type": "chapter", "locale": "fr", "since": "2025-03-01T08:02:00Z"})) == [
        ("deleted", "chapter", "fr", "2025-03-01T08:03:00Z")
    ]


def test_the_feed_is_paginated_like_the_other_lists(client, history):
    first = client.get(FEED, {"page_size": 3}).json()

    assert first["count"] == 4
    assert len(first["results"]) == 3
    second = client.get(first["next"]).json()
    assert [item["timestamp"] for item in second["results"]] == ["2025-03-01T08:04:00Z"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-13-45T00:00:00Z"}, "since"),
        ({"locale": "xx"}, "locale"),
        ({"type": "page"}, "type"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_parameters_are_refused_with_a_400_naming_them(client, history, query, parameter):
    response = client.get(FEED, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["parameter"] == parameter


def test_the_feed_is_read_in_a_constant_number_of_queries(client, history, django_assert_max_num_queries):
    for minutes in range(10, 40):
        change(minutes)

    # Locales, count, page: whatever the number of changes.
    with django_assert_max_num_queries(3):
        assert client.get(FEED, {"page_size": 50}).status_code == 200


def test_a_cached_feed_shows_a_change_as_soon_as_it_is_published(client, django_capture_on_commit_callbacks):
    chapter = ChapterPageFactory(live=False)
    city = CityFactory(live=False)
    assert client.get(FEED).json()["count"] == 0
    assert client.get(FEED).json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        chapter.save_revision().publish()
    assert [item["key"] for item in client.get(FEED).json()["results"]] == [str(chapter.translation_key)]

    with django_capture_on_commit_callbacks(execute=True):
        city.save_revision().publish()
    assert client.get(FEED, {"type": "city"}).json()["count"] == 1


def test_a_cursor_never_repeats_nor_skips_changes_that_share_a_timestamp(client, history):
    same_moment = [change(10, locale=locale) for locale in ("fr", "en", "fr", "en", "fr")]
    first = client.get(FEED, {"page_size": 2}).json()
    seen = [item["cursor"] for item in first["results"]]
    url = f"{FEED}?page_size=2&after={seen[-1]}"
    for _round in range(10):
        page = client.get(url).json()
        if not page["results"]:
            break
        seen += [item["cursor"] for item in page["results"]]
        url = page["next"]

    assert seen == [encode_cursor(event.pk) for event in [*history, *same_moment]]
    # Nothing new: the same cursor, to poll again later.
    assert page == {"count": 0, "next": url, "previous": None, "results": []}
    later = change(10)
    content_changed()  # as the publication that records a change does
    assert [item["cursor"] for item in client.get(url).json()["results"]] == [encode_cursor(later.pk)]


def test_after_combines_with_the_filters_and_counts_what_is_left(client, history):
    page = client.get(FEED, {"after": encode_cursor(history[0].pk), "locale": "fr", "page_size": 1}).json()

    assert [(item["event"], item["locale"]) for item in page["results"]] == [("deleted", "fr")]
    assert page["count"] == 2
    assert "locale=fr" in page["next"]
    assert decode_cursor(page["next"].rsplit("after=", 1)[1].split("&")[0]) == history[2].pk


def test_the_cursor_mode_reads_in_a_constant_number_of_queries(
    client, history, django_assert_max_num_queries
):
    for minutes in range(10, 40):
        change(minutes)

    # Locales, the page, and the count of what is left after it.
    with django_assert_max_num_queries(3):
        assert client.get(FEED, {"after": encode_cursor(0), "page_size": 5}).status_code == 200


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"after": "yesterday"}, "after"),
        ({"after": ""}, "after"),
        ({"after": encode_cursor(1)[:-1] + "*"}, "after"),
        ({"after": "Y2hhbmdlOi0x"}, "after"),
        ({"after": encode_cursor(1), "page": "2"}, "page"),
        ({"after": encode_cursor(1), "page_size": "0"}, "page_size"),
    ],
)
def test_a_bad_cursor_is_refused_with_a_400_naming_it(client, history, query, parameter):
    response = client.get(FEED, query)

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == parameter


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time")
def test_a_change_numbered_first_but_committed_last_is_not_skipped(client):
    """Two publications at once: the one numbered second must not be seen before the first commits."""
    Locale.objects.get_or_create(language_code="fr")
    first_city, second_city = CityFactory(live=False), CityFactory(live=False)
    ChangeEvent.objects.all().delete()
    first_recorded, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def publish_slowly():
        with transaction.atomic():
            signals.record("published", first_city)
            first_recorded.set()
            release.wait(10)
        connection.close()

    def publish():
        first_recorded.wait(10)
        with transaction.atomic():
            signals.record("published", second_city)
        second_done.set()
        connection.close()

    threads = [threading.Thread(target=publish_slowly), threading.Thread(target=publish)]
    for thread in threads:
        thread.start()
    try:
        first_recorded.wait(10)
        second_done.wait(1)
        seen_while_first_open = [
            item["key"] for item in client.get(FEED, {"after": encode_cursor(0)}).json()["results"]
        ]
    finally:
        release.set()
        for thread in threads:
            thread.join(10)

    assert seen_while_first_open == []
    assert [item["key"] for item in client.get(FEED).json()["results"]] == [
        str(first_city.translation_key),
        str(second_city.translation_key),
    ]
