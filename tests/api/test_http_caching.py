"""ETags, 304s, Cache-Control and the shared response cache, invalidated by every public change."""

import os
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import wagtail_factories
from django.core.cache import caches
from django.utils import timezone
from django.utils.http import http_date

from api import http
from api.serializers import ChapterDetailSerializer
from book.models import ChapterPage, Sector
from tests.api.conftest import api, translate

pytestmark = pytest.mark.django_db

DETAIL = api("chapter-detail", ref="ecrire-avec-la-machine")


@pytest.fixture(autouse=True)
def empty_cache():
    """The response cache outlives each test's database, so each test starts with none."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def refuse_to_serialize(monkeypatch):
    def fail(self, instance):
        raise AssertionError("the chapter was serialized")

    monkeypatch.setattr(ChapterDetailSerializer, "to_representation", fail)


def republish(page, **changes):
    page = ChapterPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def age_content_version(seconds=10):
    """Pretend the last change to the content happened ``seconds`` ago."""
    version = http.current_version()
    aged = http.ContentVersion(version.token, time.time() - seconds)
    http.response_cache().set(http.VERSION_KEY, aged.dump(), timeout=None)
    return aged


def age_content(seconds=10):
    """Pretend the last change to the content happened ``seconds`` ago; the moment, as a POSIX timestamp."""
    return age_content_version(seconds).changed_at


def test_a_response_has_an_etag_and_a_short_public_cache_lifetime(client, book, settings):
    settings.API_CACHE_MAX_AGE = 45
    settings.API_CACHE_S_MAXAGE = 90
    response = client.get(DETAIL)
    assert response.status_code == 200
    assert response["ETag"]
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=45", "s-maxage=90"}


@pytest.mark.parametrize("path", [DETAIL, api("chapter-list"), api("book-detail", ref="ia-et-creation")])
def test_a_response_made_after_the_last_change_says_when_that_was(client, book, path):
    moment = age_content()
    response = client.get(path)
    assert response["Last-Modified"] == http_date(int(moment))


def test_stored_documents_are_dated_by_the_content_version_the_cache_holds(client, book):
    """A detail or a list of stored documents never makes the content version: without one, or past
    its expiry (an item expired since, silently), it has no date, and its ETag alone validates it."""
    path = api("chapter-detail", ref=book.second.translation_key)
    http.response_cache().clear()
    for url in (path, api("chapter-list")):
        assert "Last-Modified" not in client.get(url)
    assert http.response_cache().get(http.VERSION_KEY) is None
    moment = age_content()
    # The cached response too: its date is read when it is served.
    dated = client.get(path)
    assert dated["Last-Modified"] == http_date(int(moment))
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=dated["Last-Modified"]).status_code == 304
    # The version expired: an item may have left what the response shows since that date.
    expired = http.ContentVersion("expired", moment, valid_until=time.time() - 1)
    http.response_cache().set(http.VERSION_KEY, expired.dump(), timeout=None)
    assert "Last-Modified" not in client.get(path)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=dated["Last-Modified"]).status_code == 200


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # The locales and the stored document.
        ("chapter-detail", 2),
        # The locales, the private sections, the page of keys, and their stored summaries.
        ("chapter-list", 4),
    ],
)
def test_stored_documents_never_make_a_content_version(
    client, book, django_assert_num_queries, name, queries
):
    """On an empty cache, a detail or a list of stored documents needs its tokens and its documents
    alone: no query for the next expiry of anything, which a content version would need."""
    path = api(name, ref=book.first.translation_key) if name.endswith("detail") else api(name)
    client.get(path)
    http.response_cache().clear()
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    assert http.response_cache().get(http.VERSION_KEY) is None
    with django_assert_num_queries(0):
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert client.get(path).content == response.content
    assert http.response_cache().get(http.VERSION_KEY) is None


def test_a_filtered_list_still_holds_no_longer_than_the_content_version(client, book):
    """A filter may choose items by what they do not show: its list is not bounded by them alone."""
    set_expiry(book.third, 3600)
    path = api("chapter-list") + "?sector=cinema"
    assert client.get(path).status_code == 200
    assert http.response_cache().get(http.VERSION_KEY) is not None


@pytest.mark.parametrize("path", [DETAIL, api("chapter-list")])
def test_no_last_modified_within_the_second_of_a_change(client, book, monkeypatch, path):
    """A second change within that second would carry the same date; the ETag alone tells them apart."""
    now = [1_800_000_000.2]
    monkeypatch.setattr(http, "time", SimpleNamespace(time=lambda: now[0]))
    http.bump_content_version()
    now[0] = 1_800_000_000.9
    assert "Last-Modified" not in client.get(path)
    now[0] = 1_800_000_001.0
    assert client.get(path)["Last-Modified"] == http_date(1_800_000_000)


def test_matching_if_none_match_gets_a_304_without_building_anything(
    client, book, monkeypatch, django_assert_num_queries
):
    etag = client.get(DETAIL)["ETag"]
    # Drop the cached body but keep the version: the 304 reads the stored document's ETag alone.
    version = http.response_cache().get(http.VERSION_KEY)
    http.response_cache().clear()
    http.response_cache().set(http.VERSION_KEY, version, timeout=None)
    refuse_to_serialize(monkeypatch)
    # The locales, the private sections and the keys of the slug, and the stored document.
    with django_assert_num_queries(4):
        response = client.get(DETAIL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "max-age=" in response["Cache-Control"]
    # Once the response is cached again, a 304 reads nothing.
    with django_assert_num_queries(0):
        assert client.get(DETAIL, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_if_none_match_from_another_url_does_not_match(client, book):
    etag = client.get(DETAIL)["ETag"]
    other = client.get(api("chapter-detail", ref="composer"), HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    assert other.json()["slug"] == "composer"


def test_if_modified_since_the_last_change_gets_a_304(client, book):
    age_content()
    last_modified = client.get(DETAIL)["Last-Modified"]
    assert client.get(DETAIL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    republish(book.first, title="Écrire autrement")
    response = client.get(DETAIL, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert response.json()["title"] == "Écrire autrement"


def test_if_none_match_decides_over_if_modified_since(client, book):
    age_content()
    last_modified = client.get(DETAIL)["Last-Modified"]
    response = client.get(DETAIL, HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='"stale"')
    assert response.status_code == 200


def test_a_repeated_request_is_answered_from_the_cache_without_queries(
    client, book, monkeypatch, django_assert_num_queries
):
    first = client.get(DETAIL)
    refuse_to_serialize(monkeypatch)
    with django_assert_num_queries(0):
        again = client.get(DETAIL)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert again["ETag"] == first["ETag"]


def test_a_cached_read_is_answered_before_the_url_is_resolved(client, book, monkeypatch):
    first = client.get(DETAIL)
    etag = first["ETag"]

    def unreachable(*args, **kwargs):
        raise AssertionError("the URL was resolved")

    monkeypatch.setattr("django.core.handlers.base.BaseHandler.resolve_request", unreachable)
    again = client.get(DETAIL)
    assert again.status_code == 200
    assert again.content == first.content
    for name in (
        "Content-Type",
        "Content-Language",
        "ETag",
        "Cache-Control",
        "Allow",
        "Vary",
        "X-Frame-Options",
    ):
        assert again[name] == first[name], name
    not_modified = client.get(DETAIL, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["Allow"] == first["Allow"]
    assert not_modified["X-RateLimit-Remaining"]


def test_the_order_of_query_parameters_does_not_matter(client, book):
    one = client.get(api("chapter-list") + "?locale=fr&page_size=2")
    other = client.get(api("chapter-list") + "?page_size=2&locale=fr")
    assert one["ETag"] == other["ETag"]
    assert one.json()["results"] == other.json()["results"]


def test_cached_bodies_keep_the_host_they_were_built_for(client, book):
    client.get(DETAIL)
    elsewhere = client.get(DETAIL, HTTP_HOST="localhost")
    assert elsewhere.json()["url"].startswith("http://localhost/")


def test_cached_bodies_keep_the_language_of_the_locale_they_were_built_for(client, book):
    client.get(api("locale-list"), HTTP_ACCEPT_LANGUAGE="fr")
    client.get(api("locale-list"), {"locale": "en"}, HTTP_ACCEPT_LANGUAGE="fr")
    for accept_language in ("en", "fr"):
        english = client.get(api("locale-list"), {"locale": "en"}, HTTP_ACCEPT_LANGUAGE=accept_language)
        assert {locale["code"]: locale["name"] for locale in english.json()["results"]}["fr"] == "French"
        french = client.get(api("locale-list"), HTTP_ACCEPT_LANGUAGE=accept_language)
        assert {locale["code"]: locale["name"] for locale in french.json()["results"]}["fr"] == "Français"


def test_publishing_a_change_is_served_at_once_and_old_etags_no_longer_match(client, book):
    before = client.get(DETAIL)
    republish(book.first, title="Écrire autrement")
    after = client.get(DETAIL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["title"] == "Écrire autrement"
    assert after["ETag"] != before["ETag"]


def test_unpublishing_is_served_at_once(client, book):
    assert client.get(DETAIL).status_code == 200
    assert client.get(api("chapter-list")).json()["count"] == 3
    ChapterPage.objects.get(pk=book.first.pk).unpublish()
    assert client.get(DETAIL).status_code == 404
    assert client.get(api("chapter-list")).json()["count"] == 2


def test_moving_a_chapter_is_served_at_once(client, book):
    assert client.get(DETAIL).json()["part"]["slug"] == "pratiques"
    ChapterPage.objects.get(pk=book.first.pk).move(book.part_two, pos="last-child")
    assert client.get(DETAIL).json()["part"]["slug"] == "diffusion"


def test_deleting_a_chapter_is_served_at_once(client, book):
    assert client.get(api("chapter-detail", ref="partager")).status_code == 200
    ChapterPage.objects.get(pk=book.third.pk).delete()
    assert client.get(api("chapter-detail", ref="partager")).status_code == 404


def test_publishing_a_translation_is_served_at_once(client, book):
    ref = api("chapter-detail", ref="composer")
    assert client.get(ref).json()["translations"] == []
    translate(book.second, book.english, title="Composing", slug="composing")
    assert [item["locale"] for item in client.get(ref).json()["translations"]] == ["en"]


def test_unpublishing_and_publishing_a_city_is_served_at_once(client, book):
    assert client.get(DETAIL).json()["city"]["slug"] == "cannes"
    book.cannes.unpublish()
    assert client.get(DETAIL).json()["city"] is None
    book.cannes.save_revision().publish()
    assert client.get(DETAIL).json()["city"]["slug"] == "cannes"


def test_deleting_a_sector_is_served_at_once(client, book):
    assert [sector["slug"] for sector in client.get(api("sector-list")).json()["results"]] == [
        "cinema",
        "musique",
    ]
    book.music.delete()
    assert [sector["slug"] for sector in client.get(api("sector-list")).json()["results"]] == ["cinema"]


def test_errors_are_neither_stored_nor_kept_by_shared_caches(client, book):
    missing = api("chapter-detail", ref="bientot")
    response = client.get(missing)
    assert response.status_code == 404
    assert response["ETag"]
    assert "no-store" in response["Cache-Control"]
    ChapterPage.objects.filter(pk=book.third.pk).update(slug="bientot")
    assert client.get(missing).status_code == 200


def test_malformed_validators_are_ignored(client, book):
    assert client.get(DETAIL, HTTP_IF_MODIFIED_SINCE="yesterday").status_code == 200
    assert client.get(DETAIL, HTTP_IF_NONE_MATCH='"unterminated').status_code == 200
    assert client.get(DETAIL, HTTP_IF_NONE_MATCH="*").status_code == 200


@pytest.fixture
def shared_cache_settings(settings, tmp_path):
    """A cache two app servers share: Redis when REDIS_URL is set, files on one disk otherwise."""
    if os.environ.get("REDIS_URL"):
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    else:
        backend = {
            "BACKEND": "cms.cache.SharedFileCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    settings.CACHES = {"default": {**backend, "KEY_PREFIX": "shared-test"}}
    yield
    caches["default"].clear()


def test_a_change_made_on_one_app_server_is_seen_by_another(client, book, shared_cache_settings, monkeypatch):
    server_a = caches.create_connection("default")
    server_b = caches.create_connection("default")
    assert server_a is not server_b

    monkeypatch.setattr(http, "response_cache", lambda: server_a)
    first = client.get(DETAIL)
    assert client.get(DETAIL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    monkeypatch.setattr(http, "response_cache", lambda: server_b)
    assert client.get(DETAIL)["ETag"] == first["ETag"]
    republish(book.first, title="Écrit ailleurs")

    monkeypatch.setattr(http, "response_cache", lambda: server_a)
    response = client.get(DETAIL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert response.json()["title"] == "Écrit ailleurs"


def set_expiry(item, seconds):
    """Give a live item an expiry date, as scheduling it in the admin would, without a signal."""
    moment = timezone.now() + timedelta(seconds=seconds)
    type(item).objects.filter(pk=item.pk).update(expire_at=moment)
    return moment


def test_an_expiry_date_passing_is_served_at_once(client, book):
    set_expiry(book.first, 1)
    http.bump_content_version()
    before = client.get(DETAIL)
    assert before.status_code == 200
    # No cache may keep the response beyond the expiry date.
    max_age = {part.strip() for part in before["Cache-Control"].split(",")} - {"public"}
    assert max_age in ({"max-age=0", "s-maxage=0"}, {"max-age=1", "s-maxage=1"})
    while timezone.now() <= ChapterPage.objects.get(pk=book.first.pk).expire_at:
        time.sleep(0.05)
    after = client.get(DETAIL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 404
    assert client.get(api("chapter-list")).json()["count"] == 2


def test_a_list_holds_until_the_first_of_its_items_expires(client, book):
    """Read with the list's keys: an expiry date set without any signal is known to the next read."""
    path = api("chapter-list")
    assert client.get(path).json()["count"] == 3
    # The response no longer cached, the content version kept: it knows of no expiry.
    version = http.response_cache().get(http.VERSION_KEY)
    http.response_cache().clear()
    http.response_cache().set(http.VERSION_KEY, version, timeout=None)
    moment = set_expiry(book.second, 1)
    listed = client.get(path)
    assert listed.json()["count"] == 3
    max_age = {part.strip() for part in listed["Cache-Control"].split(",")} - {"public"}
    assert max_age in ({"max-age=0", "s-maxage=0"}, {"max-age=1", "s-maxage=1"})
    # The cached list says so too, and is not served past it.
    assert client.get(path)["Cache-Control"] == listed["Cache-Control"]
    while timezone.now() <= moment:
        time.sleep(0.05)
    after = client.get(path, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert after.status_code == 200
    assert [chapter["slug"] for chapter in after.json()["results"]] == ["ecrire-avec-la-machine", "partager"]


def test_the_next_expiry_is_the_earliest_of_pages_and_snippets(book):
    assert http.next_scheduled_change() is None
    later = set_expiry(book.third, 3600)
    assert http.next_scheduled_change() == later.timestamp()
    sooner = set_expiry(book.music, 600)
    assert http.next_scheduled_change() == sooner.timestamp()
    # Drafts expire without anyone seeing it.
    ChapterPage.objects.filter(pk=book.second.pk).update(
        live=False, expire_at=timezone.now() + timedelta(seconds=5)
    )
    assert http.next_scheduled_change() == sooner.timestamp()


def test_an_expired_sector_is_not_served(client, book):
    Sector.objects.filter(pk=book.music.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    assert [sector["slug"] for sector in client.get(api("sector-list")).json()["results"]] == ["cinema"]
    assert [sector["slug"] for sector in client.get(DETAIL).json()["sectors"]] == ["cinema"]


def test_editing_an_image_is_served_at_once(client, book):
    contributor = api("contributor-detail", ref="jean-baptiste-andrea")
    before = client.get(contributor).json()["portrait"]
    image = type(book.andrea.portrait).objects.get(pk=book.andrea.portrait_id)
    image.file = wagtail_factories.ImageFactory.build(file__width=64, file__height=32).file
    image._set_image_file_metadata()
    image.save()
    after = client.get(contributor).json()["portrait"]
    assert (before["width"], before["height"]) != (after["width"], after["height"])
    assert (after["width"], after["height"]) == (64, 32)


def test_making_a_document_collection_private_is_served_at_once(client, book):
    from wagtail.models import Collection, CollectionViewRestriction

    assert client.get(DETAIL).status_code == 200
    version = http.current_version().token
    CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(), restriction_type="login"
    )
    assert http.current_version().token != version


INDENTED = "application/json; indent=4"
# A stored document (a chapter), a list of stored summaries, a response made at each request (the
# book list) and the API's root, cached under the content version.
SHAPES = [DETAIL, api("chapter-list"), api("book-list"), api("root")]


def read(client, url, accept=None):
    response = client.get(url, **({"HTTP_ACCEPT": accept} if accept else {}))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("url", SHAPES)
# A media type's parameters are named whatever their case: DRF indents for INDENT=4 too.
@pytest.mark.parametrize("asked", [INDENTED, "application/json; INDENT=4"], ids=["indent", "INDENT"])
@pytest.mark.parametrize("indented_first", [True, False], ids=["indented-first", "compact-first"])
def test_indented_json_is_served_when_asked_for_and_never_to_others(client, book, url, indented_first, asked):
    """DRF's renderer honours ``indent`` in Accept: the cache keeps each form apart, and each has its ETag."""
    order = [asked, None] if indented_first else [None, asked]
    for _round in ("built", "cached"):
        responses = {accept: read(client, url, accept) for accept in order}
        indented, compact = responses[asked], responses[None]
        assert b"\n    " in indented.content
        assert b"\n" not in compact.content
        assert indented.json() == compact.json()
        assert indented["ETag"] != compact["ETag"]
        assert indented["Content-Type"] == compact["Content-Type"] == "application/json"
        # A CDN tells the two apart by URL alone: the indented form is the client's own.
        assert indented["Cache-Control"].startswith("private,")
        assert compact["Cache-Control"].startswith("public,")
    for accept, response in responses.items():
        again = client.get(
            url, HTTP_IF_NONE_MATCH=response["ETag"], **({"HTTP_ACCEPT": accept} if accept else {})
        )
        assert again.status_code == 304
        other = asked if accept is None else None
        assert (
            client.get(
                url, HTTP_IF_NONE_MATCH=response["ETag"], **({"HTTP_ACCEPT": other} if other else {})
            ).status_code
            == 200
        )


def test_asking_for_indentation_leaves_a_citation_file_as_it_is(client, book):
    """``format`` names a citation's format there, not one of DRF's renderers: no indent applies to it."""
    url = api("chapter-cite", ref="ecrire-avec-la-machine")
    for _round in ("built", "cached"):
        plain = client.get(url, {"format": "bibtex"})
        asked = client.get(url, {"format": "bibtex"}, HTTP_ACCEPT=INDENTED)
        assert plain.status_code == asked.status_code == 200
        assert asked.content == plain.content
        assert asked["Content-Type"] == plain["Content-Type"] == "application/x-bibtex; charset=utf-8"
