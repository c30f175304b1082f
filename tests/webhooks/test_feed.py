"""The change feed lists what changed since a moment, oldest first, filtered by language and kind."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from wagtail.models import Locale

from api.webhooks.models import ChangeEvent
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
        change(3, "deleted"),
        change(1),
        change(2, "unpublished", locale="en"),
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


def test_changes_are_listed_oldest_first_with_their_shape(client, history):
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
        "url": f"https://api.example.org/api/v1/chapters/{KEY}/?locale=fr",
        "timestamp": "2025-03-01T08:01:00Z",
    }


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
