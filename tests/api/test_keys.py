"""Sites read the API with keys: their own quota, usage counted apart, a 401 for a key that is not valid."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.utils import translation

from api import access, usage
from api.models import ApiKey, ApiSite, ApiUsage
from tests.api.conftest import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The commands' messages, read in English."""
    with translation.override("en"):
        yield


def create_key(name, *args):
    out, err = StringIO(), StringIO()
    call_command("api_key", "create", name, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def usage_of(site=None):
    return {
        row.day: (row.requests, row.not_modified, row.throttled) for row in ApiUsage.objects.filter(site=site)
    }


def test_a_key_is_shown_once_and_stored_as_its_hash_only():
    key, message = create_key("Ville de Lyon", "--city", "Lyon", "--quota", "50")
    site = ApiSite.objects.get(name="Ville de Lyon")
    assert (site.city, site.quota) == ("Lyon", 50)
    assert "shown only this once" in message
    stored = ApiKey.objects.get(site=site)
    assert access.KEY_PATTERN.match(key)
    assert stored.hashed == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.prefix, stored.hashed, str(stored)}
    assert str(stored) == key[: len("bk_") + 12] + "_…"


def test_a_keyed_request_gets_its_sites_quota(client, book):
    key, _message = create_key("Ville de Lyon", "--quota", "7")
    response = client.get(api("chapter-list"), **bearer(key))
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "7"
    assert response["X-RateLimit-Remaining"] == "6"
    assert 0 < int(response["X-RateLimit-Reset"]) <= 60


def test_keys_are_rate_limited_apart_from_each_other_and_from_their_address(client, book, settings):
    settings.API_THROTTLE_RATE = "1/min"
    first, _message = create_key("Lyon", "--quota", "2")
    second, _message = create_key("Nantes", "--quota", "2")
    assert [client.get(api("sector-list"), **bearer(first)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(api("sector-list"), **bearer(second)).status_code == 200
    assert client.get(api("sector-list")).status_code == 200
    assert client.get(api("sector-list")).status_code == 429


def test_a_revoked_key_is_refused_with_a_401(client, book):
    key, _message = create_key("Lyon")
    assert client.get(api("chapter-list"), **bearer(key)).status_code == 200
    out = StringIO()
    # In English again: the request left its own language active.
    with translation.override("en"):
        call_command("api_key", "revoke", key[:15], stdout=out)
    assert "revoked" in out.getvalue()
    response = client.get(api("chapter-list"), HTTP_ACCEPT_LANGUAGE="en", **bearer(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert response.json() == {
        "error": {"parameter": None, "message": "This API key has been revoked.", "code": "invalid_key"}
    }
    assert "no-store" in response["Cache-Control"]
    # Anonymous reads stay open.
    assert client.get(api("chapter-list")).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer bk_000000000000_" + "a" * 43,
        "Bearer not-a-key",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token whatever",
    ],
)
def test_a_wrong_key_is_never_read_as_anonymous(client, book, header):
    create_key("Lyon")
    response = client.get(api("chapter-list"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_key"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_key_with_a_right_prefix_and_a_wrong_secret_is_refused(client, book):
    key, _message = create_key("Lyon")
    forged = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert client.get(api("chapter-list"), **bearer(forged)).status_code == 401


def test_a_quota_changed_in_the_admin_applies_at_once(client, book):
    key, _message = create_key("Lyon", "--quota", "5")
    assert client.get(api("sector-list"), **bearer(key))["X-RateLimit-Limit"] == "5"
    site = ApiSite.objects.get(name="Lyon")
    site.quota = 9
    site.save()
    assert client.get(api("sector-list"), **bearer(key))["X-RateLimit-Limit"] == "9"


def test_a_second_key_for_a_site_and_the_list(book):
    create_key("Lyon", "--contact", "web@lyon.example")
    second, message = create_key("Lyon")
    assert "New key" in message
    assert ApiKey.objects.filter(site__name="Lyon").count() == 2
    out = StringIO()
    call_command("api_key", "list", stdout=out)
    assert "Lyon (web@lyon.example)" in out.getvalue()
    assert second[:15] in out.getvalue()


def test_the_command_refuses_bad_input_with_a_reason():
    with pytest.raises(CommandError, match="quota"):
        call_command("api_key", "create", "Lyon", "--quota", "0", stderr=StringIO())
    with pytest.raises(CommandError, match="name"):
        call_command("api_key", "create", "  ", stderr=StringIO())
    with pytest.raises(CommandError, match="No such key"):
        call_command("api_key", "revoke", "bk_123456789abc", stdout=StringIO())
    assert not ApiSite.objects.exists()


def test_a_304_costs_a_tenth_of_a_request(client, book, settings):
    settings.API_THROTTLE_RATE = "2/min"
    etag = client.get(api("chapter-list"))["ETag"]
    revalidations = [client.get(api("chapter-list"), HTTP_IF_NONE_MATCH=etag) for _ in range(11)]
    assert [response.status_code for response in revalidations] == [304] * 10 + [429]
    assert revalidations[0]["X-RateLimit-Remaining"] == "0"


def test_every_api_response_says_where_the_client_stands(client, book, settings):
    settings.API_THROTTLE_RATE = "3/min"
    ok = client.get(api("chapter-list"))
    missing = client.get(api("chapter-detail", ref="nowhere"))
    refused = client.get(api("chapter-list"), {"page": "x"})
    throttled = client.get(api("chapter-list"))
    assert [r.status_code for r in (ok, missing, refused, throttled)] == [200, 404, 404, 429]
    assert [r["X-RateLimit-Remaining"] for r in (ok, missing, refused, throttled)] == ["2", "1", "0", "0"]
    assert all(r["X-RateLimit-Limit"] == "3" for r in (ok, missing, refused, throttled))
    assert throttled["Retry-After"] == throttled["X-RateLimit-Reset"]


def test_usage_is_counted_per_site_and_day_and_flushed_once(client, book, settings):
    settings.API_THROTTLE_RATE = "5/min"
    key, _message = create_key("Lyon", "--quota", "3")
    site = ApiSite.objects.get(name="Lyon")
    etag = client.get(api("chapter-list"), **bearer(key))["ETag"]
    client.get(api("chapter-list"), HTTP_IF_NONE_MATCH=etag, **bearer(key))
    client.get(api("chapter-list"), **bearer(key))
    for _ in range(4):
        client.get(api("chapter-list"), **bearer(key))
    for _ in range(6):
        client.get(api("sector-list"))
    assert not ApiUsage.objects.exists(), "no request writes to the database"
    assert usage.flush() == 2
    day = usage.today()
    assert usage_of(site) == {day: (3, 1, 3)}
    assert usage_of(None) == {day: (5, 0, 1)}
    assert usage.flush() == 0
    assert usage_of(site) == {day: (3, 1, 3)}


def test_usage_after_the_cache_lost_everything_is_late_never_doubled(client, book, settings):
    settings.API_THROTTLE_RATE = ""
    for _ in range(5):
        client.get(api("sector-list"))
    usage.flush()
    for _ in range(2):
        client.get(api("sector-list"))
    # The cache is emptied (Redis restarted) with two requests not yet flushed: they are lost.
    caches["default"].clear()
    for _ in range(7):
        client.get(api("sector-list"))
    usage.flush()
    usage.flush()
    assert usage_of(None) == {usage.today(): (12, 0, 0)}


def test_yesterdays_counters_are_flushed_into_yesterday(client, book, settings, monkeypatch):
    settings.API_THROTTLE_RATE = ""
    yesterday = usage.today() - datetime.timedelta(days=1)
    monkeypatch.setattr(usage, "today", lambda: yesterday)
    client.get(api("sector-list"))
    monkeypatch.undo()
    client.get(api("sector-list"))
    usage.flush()
    assert usage_of(None) == {yesterday: (1, 0, 0), usage.today(): (1, 0, 0)}
