"""Bad input gets a 4xx whose JSON body names the parameter; never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def error_of(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"parameter", "message", "code"}
    assert error["message"]
    return error


@pytest.mark.parametrize("name", ["chapter-list", "book-list", "contributor-list", "search"])
def test_unknown_locale_is_a_400_naming_locale(client, book, name):
    error = error_of(client.get(api(name), {"locale": "xx", "q": "a"}), 400)
    assert error["parameter"] == "locale" and "xx" in error["message"]


def test_unknown_locale_on_a_detail_is_a_400(client, book):
    error = error_of(client.get(api("chapter-detail", ref="composer"), {"locale": "klingon"}), 400)
    assert error["parameter"] == "locale"


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1"])
def test_bad_page_is_a_404_naming_page(client, book, page):
    assert error_of(client.get(api("chapter-list"), {"page": page}), 404)["parameter"] == "page"


@pytest.mark.parametrize("size", ["101", "0", "-5", "many"])
def test_page_size_outside_the_limits_is_refused_not_capped(client, book, size):
    assert error_of(client.get(api("chapter-list"), {"page_size": size}), 400)["parameter"] == "page_size"


def test_page_size_up_to_the_maximum_is_served(client, book):
    assert client.get(api("chapter-list"), {"page_size": 100}).status_code == 200


@pytest.mark.parametrize("parameter", ["theme", "sector", "city", "contributor", "part"])
def test_unknown_filter_value_is_a_400_naming_the_filter(client, book, parameter):
    for value in ("nothing-like-this", "00000000-0000-0000-0000-000000000000"):
        error = error_of(client.get(api("chapter-list"), {parameter: value}), 400)
        assert error["parameter"] == parameter


def test_empty_ordering_items_are_ignored(client, book):
    default = [item["slug"] for item in client.get(api("chapter-list")).json()["results"]]
    for ordering in (",", "title,", ",,-title"):
        response = client.get(api("chapter-list"), {"ordering": ordering})
        assert response.status_code == 200, ordering
    assert [
        item["slug"] for item in client.get(api("chapter-list"), {"ordering": ","}).json()["results"]
    ] == default
    titles = [
        item["title"] for item in client.get(api("chapter-list"), {"ordering": ",,-title"}).json()["results"]
    ]
    assert titles == sorted(titles, reverse=True)


def test_unknown_ordering_is_a_400_naming_ordering(client, book):
    error = error_of(client.get(api("chapter-list"), {"ordering": "body"}), 400)
    assert error["parameter"] == "ordering"
    assert (
        error_of(client.get(api("contributor-list"), {"ordering": "word_count"}), 400)["parameter"]
        == "ordering"
    )


def test_malformed_ref_is_a_400_and_unknown_ref_a_404(client, book):
    assert error_of(client.get(api("chapter-list") + "not%20a%20slug!/"), 400)["parameter"] == "ref"
    assert error_of(client.get(api("chapter-detail", ref="no-such-chapter")), 404)["parameter"] == "ref"
    missing = "00000000-0000-0000-0000-000000000000"
    assert error_of(client.get(api("contributor-detail", ref=missing)), 404)["parameter"] == "ref"


def test_a_ref_of_another_kind_is_not_found(client, book):
    error_of(client.get(api("theme-detail", ref=book.first.translation_key)), 404)


def test_search_needs_q_and_a_known_type(client, book):
    assert error_of(client.get(api("search")), 400)["parameter"] == "q"
    assert error_of(client.get(api("search"), {"q": "a", "type": "part"}), 400)["parameter"] == "type"


@pytest.mark.parametrize("query", ['"', "'", "(", "a AND", "*", "-", "NOT", "a:b", "\x00", "é" * 300, "[^1]"])
def test_odd_search_input_never_breaks_the_api(client, book, query):
    assert client.get(api("search"), {"q": query}).status_code in (200, 400)
    assert client.get(api("chapter-list"), {"search": query}).status_code in (200, 400)


def test_unknown_path_under_the_api_is_a_json_404(client, book):
    response = client.get(api("chapter-list") + "a/b/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_endpoint"


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/chapters/a/b/", "/api/v1/old-address/"])
def test_the_404_of_an_unknown_api_address_reads_nothing_from_the_database(client, book, path):
    """Redirects are the site's: the API's 404 never looks one up (nor the Site it would belong to),
    even one an editor made for that address."""
    Redirect.objects.create(old_path="/api/v1/old-address", redirect_link="/api/v1/chapters/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_endpoint"
    assert [query["sql"] for query in queries] == []


def test_the_site_s_redirects_still_apply_outside_the_api(client, book):
    Redirect.objects.create(old_path="/ancienne-adresse", redirect_link="/nouvelle-adresse/")
    Redirect.objects.create(old_path="/api/ancienne-adresse", redirect_link="/api/v1/")
    assert client.get("/ancienne-adresse/")["Location"] == "/nouvelle-adresse/"
    assert client.get("/api/ancienne-adresse/")["Location"] == "/api/v1/"
    assert client.get("/ancienne-adresse/").status_code == 301
