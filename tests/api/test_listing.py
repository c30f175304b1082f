"""A list that names no filter reads its keys with a query built once per process (``api.listing``):
it must show, at every request, what the same list read through the ORM shows."""

import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api import listing
from book.models import ChapterPage
from tests.api.conftest import api

pytestmark = pytest.mark.django_db

LISTS = ["chapter-list", "contributor-list", "theme-list", "city-list", "sector-list"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Every request reads the database: none is answered from the response cache."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def read(client, url, query=None):
    """The count and the slugs listed, or the error and its status."""
    caches["default"].clear()
    response = client.get(url, query or {})
    data = response.json()
    if response.status_code != 200:
        return response.status_code, data
    return data["count"], [item["slug"] for item in data["results"]]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"locale": "en"},
        {"page_size": 1, "page": 2},
        {"locale": "en", "page_size": 1, "page": 1},
        {"page": 9},
    ],
    ids=["source", "english", "second-page", "english-first-page", "past-the-end"],
)
def test_a_list_naming_no_filter_shows_what_the_orm_reads(client, book, name, query, monkeypatch):
    read_built = []
    page_of_keys = listing.page_of_keys
    monkeypatch.setattr(listing, "page_of_keys", lambda *args: read_built.append(args) or page_of_keys(*args))
    built = read(client, api(name), query)
    assert len(read_built) == 1
    # An empty ordering names a filter, which puts the items in their default order: read through the ORM.
    assert read(client, api(name), {**query, "ordering": ""}) == built
    assert len(read_built) == 1


def test_the_query_built_once_tells_what_expired_at_each_request(client, book):
    url = api("chapter-list")
    assert read(client, url) == (3, ["ecrire-avec-la-machine", "composer", "partager"])
    built = listing.keys_query.cache_info().misses
    moment = timezone.now() + timedelta(seconds=1)
    ChapterPage.objects.filter(pk=book.second.pk).update(expire_at=moment)
    assert read(client, url) == (3, ["ecrire-avec-la-machine", "composer", "partager"])
    while timezone.now() <= moment:
        time.sleep(0.05)
    assert read(client, url) == (2, ["ecrire-avec-la-machine", "partager"])
    # The same query, with the moment of each request.
    assert listing.keys_query.cache_info().misses == built


def test_a_private_section_is_left_out_of_the_list_at_once_and_back_once_public(client, book):
    url = api("chapter-list")
    assert read(client, url) == (3, ["ecrire-avec-la-machine", "composer", "partager"])
    restriction = PageViewRestriction.objects.create(
        page=book.part_two, restriction_type=PageViewRestriction.LOGIN
    )
    assert read(client, url) == (2, ["ecrire-avec-la-machine", "composer"])
    assert read(client, url, {"locale": "en"}) == (1, ["writing-with-the-machine"])
    restriction.delete()
    assert read(client, url) == (3, ["ecrire-avec-la-machine", "composer", "partager"])
