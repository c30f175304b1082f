"""Any web page may read the API; each client IP gets a limited number of requests."""

import pytest
from django.core.cache import caches

from tests.api.conftest import api

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.example.org"


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttling history and cached responses live in the cache, which outlives each test's database."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_any_origin_may_read_the_api(client, book):
    response = client.get(api("chapter-list"), HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_headers_do_not_depend_on_the_origin(client, book):
    """So that a CDN keeps one copy of each response for every site."""
    without = client.get(api("chapter-list"))
    with_origin = client.get(api("chapter-list"), HTTP_ORIGIN=ORIGIN)
    assert without["Access-Control-Allow-Origin"] == with_origin["Access-Control-Allow-Origin"] == "*"
    assert "origin" not in with_origin.get("Vary", "").lower()


def test_errors_are_readable_across_origins_too(client, db):
    response = client.get(api("chapter-detail", ref="nowhere"), HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_is_answered(client, db):
    response = client.options(
        api("chapter-list"),
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")} == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    # "*" alone would not let a page send a site's key (Authorization).
    assert response["Access-Control-Allow-Headers"] == "Authorization, *"
    assert int(response["Access-Control-Max-Age"]) > 0


def test_pages_outside_the_api_get_no_cors_headers(client, db):
    response = client.get("/admin/login/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


def test_a_client_over_its_rate_gets_a_429_with_retry_after(client, book, settings):
    settings.API_THROTTLE_RATE = "2/min"
    for _ in range(2):
        assert client.get(api("chapter-list")).status_code == 200
    response = client.get(api("chapter-list"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["message"]
    assert "no-store" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cached_answers_count_against_the_rate(client, book, settings):
    settings.API_THROTTLE_RATE = "2/min"
    assert client.get(api("chapter-list")).status_code == 200
    assert client.get(api("chapter-list")).status_code == 200
    assert client.get(api("chapter-list")).status_code == 429


def test_the_rate_is_counted_per_client_ip(client, book, settings):
    settings.API_THROTTLE_RATE = "1/min"
    assert client.get(api("chapter-list"), REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get(api("chapter-list"), REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get(api("chapter-list"), REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, book, settings):
    settings.API_THROTTLE_RATE = "1/min"
    assert client.get(api("chapter-list"), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.get(api("chapter-list"), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_an_empty_rate_means_no_limit(client, book, settings):
    settings.API_THROTTLE_RATE = ""
    assert all(client.get(api("sector-list")).status_code == 200 for _ in range(5))


def test_the_api_neither_reads_nor_resets_a_session_cookie(client, book):
    """A browser's stale session cookie (the admin's) is none of the API's business: no
    Set-Cookie that a CDN could keep, and no Vary: Cookie splitting its copies."""
    client.cookies["sessionid"] = "stale"
    for _attempt in ("built", "cached"):
        response = client.get(api("chapter-list"))
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
        assert "cookie" not in response["Vary"].lower()
        assert response["Vary"] == "Accept-Language"
