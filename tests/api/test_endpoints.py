"""The shape of every endpoint, read as a client reads it."""

import pytest

from tests.api.conftest import api

pytestmark = pytest.mark.django_db

ITEM_FIELDS = {"id", "key", "locale", "slug", "title", "url", "translations"}


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_locales_list_codes_names_direction_and_the_source(client, book):
    from wagtail.models import Locale

    Locale.objects.create(language_code="ar")
    locales = {item["code"]: item for item in results(client.get(api("locale-list")))}
    assert set(locales) == {"fr", "en", "ar"}
    assert locales["fr"]["source"] is True and locales["en"]["source"] is False
    assert locales["ar"]["direction"] == "rtl" and locales["fr"]["direction"] == "ltr"
    assert locales["en"]["native_name"] == "English"
    assert set(locales["fr"]) == {
        "code",
        "name",
        "native_name",
        "direction",
        "source",
        "published",
        "counts",
        "progress",
    }


def test_lists_are_paginated_with_count_next_previous(client, book):
    data = client.get(api("chapter-list"), {"page_size": 2}).json()
    assert data["count"] == 3
    assert len(data["results"]) == 2
    assert data["previous"] is None
    assert "page=2" in data["next"]
    second = client.get(data["next"]).json()
    assert [item["slug"] for item in second["results"]] == ["partager"]


def test_the_last_page_and_an_empty_list_say_their_count_and_links(client, book):
    # A page's items and the count of all are read together: the count is the whole list's.
    last = client.get(api("chapter-list"), {"page_size": 2, "page": 2}).json()
    assert (last["count"], len(last["results"]), last["next"]) == (3, 1, None)
    assert "page_size=2" in last["previous"]
    empty = client.get(api("chapter-list"), {"search": "introuvablemot"}).json()
    assert (empty["count"], empty["results"], empty["next"], empty["previous"]) == (0, [], None, None)


def test_every_item_carries_the_common_fields(client, book):
    for name in ["book-list", "chapter-list", "contributor-list", "theme-list", "city-list", "sector-list"]:
        for item in results(client.get(api(name))):
            assert set(item) >= ITEM_FIELDS, name
            assert item["url"].startswith("http://testserver/api/v1/")
            assert client.get(item["url"]).json()["key"] == item["key"]


def test_book_detail_has_the_table_of_contents_in_order(client, book):
    data = client.get(api("book-detail", ref=book.book.slug)).json()
    assert data["title"] == "IA et création"
    assert data["fallback"] is False
    assert [part["title"] for part in data["toc"]] == ["Pratiques", "Diffusion"]
    assert [chapter["title"] for chapter in data["toc"][0]["chapters"]] == [
        "Écrire avec la machine",
        "Composer",
    ]
    assert [chapter["title"] for chapter in data["toc"][1]["chapters"]] == ["Partager"]
    assert set(data["cover"]["renditions"]) >= {"small", "medium", "large", "webp"}


def test_chapter_detail_has_body_credits_classification_and_reading_time(client, book):
    data = client.get(api("chapter-detail", ref=book.first.translation_key)).json()
    assert data["slug"] == "ecrire-avec-la-machine"
    assert [(c["title"], c["role"]) for c in data["contributors"]] == [
        ("Jean-Michel Jarre", "interviewee"),
        ("Jean-Baptiste Andrea", "author"),
    ]
    assert [theme["slug"] for theme in data["themes"]] == ["pratiques-creatives", "publics"]
    assert [sector["title"] for sector in data["sectors"]] == ["Cinéma", "Musique"]
    assert data["city"]["title"] == "Cannes"
    assert data["part"]["title"] == "Pratiques"
    assert data["word_count"] == 5 and data["reading_time"] == 1
    assert [block["type"] for block in data["body"]] == ["heading", "paragraph"]
    assert data["body"][0]["value"] == {"level": "h2", "text": "Début", "anchor": "début"}
    assert data["body"][1]["value"] == "<p>Un deux trois quatre.</p>"
    assert all(block["id"] for block in data["body"])


def test_chapter_list_items_carry_their_credits_but_not_the_body(client, book):
    first = results(client.get(api("chapter-list")))[0]
    assert first["contributors"][0]["role"] == "interviewee"
    assert "body" not in first


def test_contributor_detail_lists_their_chapters_with_role(client, book):
    data = client.get(api("contributor-detail", ref="jean-michel-jarre")).json()
    assert [(c["title"], c["role"]) for c in data["chapters"]] == [
        ("Écrire avec la machine", "interviewee"),
        ("Composer", "author"),
    ]
    andrea = client.get(api("contributor-detail", ref="jean-baptiste-andrea")).json()
    assert andrea["professions"] == ["écrivain", "cinéaste"]
    assert andrea["biography"] == "<p>Romancier.</p>"
    assert andrea["portrait"]["credit"] == "Photo X"
    assert andrea["city"]["slug"] == "cannes"


def test_contributors_are_sorted_by_sort_name_by_default_and_by_title_on_request(client, book):
    assert [c["sort_name"] for c in results(client.get(api("contributor-list")))] == [
        "Andrea, Jean-Baptiste",
        "Jarre, Jean-Michel",
    ]
    by_title = results(client.get(api("contributor-list"), {"ordering": "-title"}))
    assert [c["title"] for c in by_title] == ["Jean-Michel Jarre", "Jean-Baptiste Andrea"]


def test_theme_detail_lists_its_chapters_in_book_order(client, book):
    data = client.get(api("theme-detail", ref="publics")).json()
    assert [chapter["title"] for chapter in data["chapters"]] == ["Écrire avec la machine", "Partager"]


def test_cities_and_sectors_have_a_name_and_a_title(client, book):
    city = results(client.get(api("city-list")))[0]
    assert city["name"] == city["title"] == "Cannes"
    assert city["creative_field"] == "film"
    sectors = results(client.get(api("sector-list")))
    assert [sector["title"] for sector in sectors] == ["Cinéma", "Musique"]
    detail = client.get(api("sector-detail", ref="musique")).json()
    assert detail["name"] == "Musique" and detail["fallback"] is False


def test_chapters_filter_by_theme_sector_city_contributor_and_part(client, book):
    def slugs(**params):
        return [item["slug"] for item in results(client.get(api("chapter-list"), params))]

    assert slugs(theme="publics") == ["ecrire-avec-la-machine", "partager"]
    assert slugs(theme=str(book.practices.translation_key)) == ["ecrire-avec-la-machine", "composer"]
    assert slugs(sector="musique") == ["ecrire-avec-la-machine"]
    assert slugs(city="cannes") == ["ecrire-avec-la-machine"]
    assert slugs(contributor="jean-baptiste-andrea") == ["ecrire-avec-la-machine", "partager"]
    assert slugs(part="diffusion") == ["partager"]
    assert slugs(part="pratiques", contributor="jean-michel-jarre") == ["ecrire-avec-la-machine", "composer"]


def test_filters_accept_a_slug_of_another_language(client, book):
    english = results(
        client.get(api("chapter-list"), {"locale": "en", "contributor": "jean-baptiste-andrea"})
    )
    assert [item["slug"] for item in english] == ["writing-with-the-machine"]


def test_chapters_can_be_ordered_by_title_and_word_count(client, book):
    by_title = results(client.get(api("chapter-list"), {"ordering": "title"}))
    assert [item["title"] for item in by_title] == ["Composer", "Partager", "Écrire avec la machine"]
    by_words = results(client.get(api("chapter-list"), {"ordering": "-word_count"}))
    assert by_words[0]["slug"] == "ecrire-avec-la-machine"


def test_search_finds_chapters_contributors_and_themes_of_one_locale(client, book):
    found = results(client.get(api("search"), {"q": "machine"}))
    assert [(item["type"], item["slug"]) for item in found] == [("chapter", "ecrire-avec-la-machine")]
    found = results(client.get(api("search"), {"q": "Jarre"}))
    assert [(item["type"], item["slug"]) for item in found] == [("contributor", "jean-michel-jarre")]
    found = results(client.get(api("search"), {"q": "Publics"}))
    assert ("theme", "publics") in [(item["type"], item["slug"]) for item in found]
    english = results(client.get(api("search"), {"q": "machine", "locale": "en"}))
    assert [(item["locale"], item["slug"]) for item in english] == [("en", "writing-with-the-machine")]


def test_search_can_be_limited_to_one_kind(client, book):
    found = results(client.get(api("search"), {"q": "Andrea", "type": "chapter"}))
    assert found == []


def test_lists_accept_a_search_parameter(client, book):
    found = results(client.get(api("chapter-list"), {"search": "composer"}))
    assert [item["slug"] for item in found] == ["composer"]


def test_the_api_is_read_only(client, book):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(api("chapter-list"), {})
        assert response.status_code == 405
        assert response.json()["error"]["code"] == "method_not_allowed"
    assert client.head(api("chapter-list")).status_code == 200
    assert client.options(api("chapter-list")).status_code == 200
