"""Languages: the locale parameter, fallback along the chain, translations links, no mixed lists."""

import pytest

from tests.api.conftest import api, translate

pytestmark = pytest.mark.django_db


def test_source_locale_is_the_default(client, book):
    data = client.get(api("chapter-list")).json()
    assert {item["locale"] for item in data["results"]} == {"fr"}


def test_lists_never_mix_languages(client, book):
    data = client.get(api("chapter-list"), {"locale": "en"}).json()
    assert data["count"] == 1
    assert [(item["locale"], item["slug"]) for item in data["results"]] == [
        ("en", "writing-with-the-machine")
    ]


def test_translated_detail_is_served_in_the_requested_language(client, book):
    data = client.get(api("chapter-detail", ref=book.first.translation_key), {"locale": "en"}).json()
    assert (data["locale"], data["fallback"], data["title"]) == ("en", False, "Writing with the machine")
    assert data["translations"] == [{"locale": "fr", "url": data["url"].replace("locale=en", "locale=fr")}]


def test_detail_falls_back_to_the_source_and_says_so(client, book):
    data = client.get(api("chapter-detail", ref="composer"), {"locale": "en"}).json()
    assert (data["locale"], data["fallback"], data["title"]) == ("fr", True, "Composer")


def test_detail_by_slug_of_the_requested_language(client, book):
    data = client.get(api("chapter-detail", ref="writing-with-the-machine"), {"locale": "en"}).json()
    assert data["locale"] == "en" and data["key"] == str(book.first.translation_key)
    french = client.get(api("chapter-detail", ref="ecrire-avec-la-machine"), {"locale": "en"}).json()
    assert french["locale"] == "en" and french["fallback"] is False


def test_synchronised_relations_resolve_to_the_language_served(client, book):
    data = client.get(api("chapter-detail", ref=book.first.translation_key), {"locale": "en"}).json()
    contributors = {c["title"]: c for c in data["contributors"]}
    # Andrea has an English page, Jarre does not: the chain falls back to French for him.
    assert contributors["Jean-Baptiste Andrea"]["locale"] == "en"
    assert contributors["Jean-Baptiste Andrea"]["slug"] == "jean-baptiste-andrea-en"
    assert contributors["Jean-Michel Jarre"]["locale"] == "fr"
    assert data["city"] == {**data["city"], "locale": "en", "title": "Cannes (EN)"}
    assert data["part"]["locale"] == "en"


def test_translations_list_only_published_versions(client, book, english):
    draft = book.second.copy_for_translation(english)
    assert not draft.live
    data = client.get(api("chapter-detail", ref="composer")).json()
    assert data["translations"] == []
    listed = client.get(api("chapter-list")).json()["results"]
    assert {item["slug"]: item["translations"] for item in listed}["composer"] == []


def test_fallback_chain_is_configurable(client, book, settings):
    from wagtail.models import Locale

    spanish = Locale.objects.create(language_code="es")
    settings.API_LOCALE_FALLBACKS = {"es": ["en"]}
    data = client.get(api("chapter-detail", ref=book.first.translation_key), {"locale": "es"}).json()
    assert (data["locale"], data["fallback"]) == ("en", True)
    # Nothing in Spanish nor English: the chain ends at the source language.
    data = client.get(api("chapter-detail", ref="composer"), {"locale": "es"}).json()
    assert (data["locale"], data["fallback"]) == ("fr", True)
    translate(book.en_book, spanish)
    assert client.get(api("chapter-list"), {"locale": "es"}).json()["count"] == 0
