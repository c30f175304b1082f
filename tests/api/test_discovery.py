"""An API that explains itself: its root, its 404s, the languages of content, labels and messages."""

import pytest
from django.urls import get_resolver

from book.models import CreativeField
from tests.api.conftest import api, translate

pytestmark = pytest.mark.django_db


def test_the_root_names_every_endpoint_the_schema_the_docs_and_the_source_language(client, book):
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    root = response.json()
    assert root["source_locale"] == "fr"
    assert root["schema"] == "http://testserver/api/v1/schema/"
    assert root["docs"] == "http://testserver/api/v1/docs/"
    assert root["locales"] == "http://testserver/api/v1/locales/"
    names = {
        pattern.name
        for pattern in get_resolver().namespace_dict["api"][1].url_patterns
        if pattern.name not in ("root", "not-found")
    }
    assert set(root["endpoints"]) == names
    assert root["endpoints"]["chapter-detail"] == "http://testserver/api/v1/chapters/{ref}/"
    assert root["endpoints"]["chapter-cite"] == "http://testserver/api/v1/chapters/{ref}/cite/"
    # Every address it gives answers, once its {ref} is filled in.
    query = {"search": {"q": "machine"}, "chapter-cite": {"format": "bibtex"}}
    refs = {
        "book": book.book,
        "chapter": book.first,
        "contributor": book.andrea,
        "theme": book.practices,
        "city": book.cannes,
        "sector": book.cinema,
    }
    for name, url in root["endpoints"].items():
        if name == "preview":
            continue
        ref = refs.get(name.partition("-")[0])
        if name.startswith("webhook-"):
            # A site's own subscriptions: they answer its key only.
            answer = client.get(url.replace("{id}", "1"))
            assert answer.status_code == 401, (name, answer.content[:200])
            continue
        answer = client.get(
            url.replace("{ref}", str(ref.translation_key if ref else "")), query.get(name, {})
        )
        assert answer.status_code == 200, (name, answer.content[:200])


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/v1/chapters/a/b/", "/api/v1/v2/books/", "/api/v1/x.html"]
)
def test_unknown_addresses_under_the_api_are_its_json_404(client, book, path):
    for method in (client.get, client.post, client.head):
        response = method(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "no-store"
    error = client.get(path).json()["error"]
    assert error["code"] == "unknown_endpoint" and path in error["message"] and "/api/v1/" in error["message"]


def test_an_address_without_its_slash_is_still_redirected(client, book):
    response = client.get("/api/v1/chapters", {"locale": "en"})
    assert response.status_code == 301 and response["Location"] == "/api/v1/chapters/?locale=en"


def test_error_messages_follow_accept_language_in_english_by_default(client, book):
    default = client.get(api("chapter-list"), {"locale": "xx"})
    assert default.json()["error"]["message"].startswith("Unknown locale")
    assert default["Content-Language"] == "en"
    french = client.get(api("chapter-list"), {"locale": "xx"}, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert french.json()["error"]["message"].startswith("Langue inconnue")
    assert french["Content-Language"] == "fr"
    # A language the API's messages are not written in: English, not the source language.
    spanish = client.get(api("chapter-list"), {"locale": "xx"}, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.json()["error"]["message"].startswith("Unknown locale")
    missing = client.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Aucun point d’accès" in missing.json()["error"]["message"]


@pytest.mark.parametrize("accept_language", [None, "fr", "en"])
def test_the_locale_decides_the_content_its_labels_and_content_language(client, book, accept_language):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    book.cannes.creative_field = CreativeField.FILM
    book.cannes.save()
    book.en_cannes.creative_field = CreativeField.FILM
    book.en_cannes.save()
    english = client.get(api("city-list"), {"locale": "en"}, **headers)
    assert english["Content-Language"] == "en"
    assert english.json()["results"][0]["creative_field_label"] == "Film"
    french = client.get(api("city-list"), {"locale": "fr"}, **headers)
    assert french["Content-Language"] == "fr"
    assert french.json()["results"][0]["creative_field_label"] == "Cinéma"
    names = {
        locale["code"]: locale["name"]
        for locale in client.get(api("locale-list"), {"locale": "en"}, **headers).json()["results"]
    }
    assert names["fr"] == "French"
    names = {
        locale["code"]: locale["name"]
        for locale in client.get(api("locale-list"), **headers).json()["results"]
    }
    assert names["en"] == "Anglais"


def test_content_language_is_the_language_served(client, book):
    detail = client.get(api("chapter-detail", ref="composer"), {"locale": "en"})
    assert detail.json()["fallback"] is True and detail["Content-Language"] == "fr"
    translated = client.get(
        api("chapter-detail", ref="composer"), {"locale": "fr"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert translated["Content-Language"] == "fr"
    # The cached copy keeps it.
    again = client.get(api("chapter-detail", ref="composer"), {"locale": "en"})
    assert again["Content-Language"] == "fr"


def test_locales_say_whether_and_how_much_is_published(client, book):
    from wagtail.models import Locale

    Locale.objects.create(language_code="es")
    locales = {locale["code"]: locale for locale in client.get(api("locale-list")).json()["results"]}
    assert locales["fr"]["published"] is True and locales["fr"]["progress"] == 1.0
    assert locales["fr"]["counts"] == {
        "books": 1,
        "chapters": 3,
        "contributors": 2,
        "themes": 2,
        "cities": 1,
        "sectors": 2,
    }
    assert locales["en"]["published"] is True
    assert locales["en"]["counts"]["chapters"] == 1 and locales["en"]["progress"] == pytest.approx(
        1 / 3, abs=1e-3
    )
    assert locales["en"]["counts"]["contributors"] == 1 and locales["en"]["counts"]["cities"] == 1
    assert locales["es"]["published"] is False
    assert set(locales["es"]["counts"].values()) == {0} and locales["es"]["progress"] == 0


def test_the_book_list_and_the_book_detail_agree_on_a_language_without_a_book(client, book):
    from wagtail.models import Locale

    Locale.objects.create(language_code="es")
    (listed,) = client.get(api("book-list"), {"locale": "es"}).json()["results"]
    detail = client.get(api("book-detail", ref=book.book.translation_key), {"locale": "es"}).json()
    assert (listed["locale"], listed["fallback"]) == (detail["locale"], detail["fallback"]) == ("fr", True)
    (english,) = client.get(api("book-list"), {"locale": "en"}).json()["results"]
    assert (english["locale"], english["fallback"], english["title"]) == ("en", False, "AI and creation")


def test_every_entry_of_a_table_of_contents_says_the_language_it_is_in(client, book, english):
    # What translation tools do for a chapter whose part is not translated: the part is an alias.
    alias = book.part_two.copy_for_translation(english, alias=True)
    assert alias.live and alias.title == "Diffusion"
    translate(book.third, english, title="Sharing", slug="sharing")
    toc = client.get(api("book-detail", ref=book.book.translation_key), {"locale": "en"}).json()["toc"]
    entries = [(part["title"], part["locale"], part["fallback"]) for part in toc]
    assert entries == [("Practices", "en", False), ("Diffusion", "fr", True)]
    chapters = [(chapter["title"], chapter["locale"], chapter["fallback"]) for chapter in toc[1]["chapters"]]
    assert chapters == [("Sharing", "en", False)]


def test_ordering_takes_several_fields_comma_separated_or_repeated(client, book):
    from book.models import ChapterPage

    ChapterPage.objects.filter(pk=book.first.pk).update(word_count=10, title="Ecrire")
    ChapterPage.objects.filter(pk__in=[book.second.pk, book.third.pk]).update(word_count=20)

    def slugs(**query):
        return [item["slug"] for item in client.get(api("chapter-list"), query).json()["results"]]

    assert slugs(ordering="-word_count,title") == ["composer", "partager", "ecrire-avec-la-machine"]
    assert slugs(ordering="-word_count,-title") == ["partager", "composer", "ecrire-avec-la-machine"]
    repeated = client.get(api("chapter-list") + "?ordering=-word_count&ordering=-title").json()["results"]
    assert [item["slug"] for item in repeated] == ["partager", "composer", "ecrire-avec-la-machine"]
    # The order of the repeated values counts, in the response cache as in the query.
    reversed_ = client.get(api("chapter-list") + "?ordering=-title&ordering=-word_count").json()["results"]
    assert [item["slug"] for item in reversed_] == ["partager", "ecrire-avec-la-machine", "composer"]
    assert slugs(ordering="word_count,title") == ["ecrire-avec-la-machine", "composer", "partager"]


def test_an_unknown_ordering_field_is_a_400_naming_it(client, book):
    for query in ("?ordering=title,body", "?ordering=title&ordering=body"):
        response = client.get(api("chapter-list") + query)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["parameter"] == "ordering" and "“body”" in error["message"]
        assert "word_count" in error["message"]


def test_locales_and_the_book_list_cost_queries_that_do_not_grow_with_the_languages(client, book):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Locale

    from api import http

    def queries(path, params=None):
        client.get(path, params)
        http.bump_content_version()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, params).status_code == 200
        return len(captured)

    Locale.objects.create(language_code="es")
    few = (queries(api("locale-list")), queries(api("book-list"), {"locale": "es"}))
    for code in ("ar", "ru", "zh-hans"):
        Locale.objects.create(language_code=code)
    translate(book.book, Locale.objects.get(language_code="ru"), title="ИИ", slug="ii")
    assert (queries(api("locale-list")), queries(api("book-list"), {"locale": "es"})) == few
    # The locales, the private sections, the page, one count per kind, the chapters shared with the source.
    assert few[0] <= 12
