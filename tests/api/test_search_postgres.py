"""Search stems each language with its own PostgreSQL text-search configuration."""

import pytest
from django.db import connection

from api import search
from book.models import ChapterPage
from tests.api.conftest import api, translate
from tests.factories import ChapterPageFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="text-search configurations are PostgreSQL's; set DATABASE_URL to a PostgreSQL database",
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def stemmed(book):
    """A French chapter about « création » and its English version about a model that « runs »."""
    french = ChapterPageFactory(
        parent=book.part_one,
        title="Atelier",
        slug="atelier",
        body=[("paragraph", "<p>Une création collective, écrite à plusieurs mains.</p>")],
    )
    english = translate(
        french,
        book.english,
        title="Workshop",
        slug="workshop",
        body=[("paragraph", "<p>The model runs every night on the shared texts.</p>")],
    )
    return french, english


def found_keys(response):
    assert response.status_code == 200, response.content
    return {result["key"] for result in response.json()["results"]}


def public_chapters(locale):
    return ChapterPage.objects.live().filter(locale=locale)


def test_languages_get_their_own_configuration_or_simple():
    assert search.config_for("fr") == "french"
    assert search.config_for("en") == "english"
    assert search.config_for("pt-br") == "portuguese"
    assert search.config_for("zh-hans") == "simple"


def test_french_query_finds_an_inflected_french_form(client, book, stemmed):
    french, _english = stemmed

    assert found_keys(client.get(api("search"), {"q": "créations"})) == {str(french.translation_key)}
    assert found_keys(client.get(api("chapter-list"), {"search": "créations"})) == {
        str(french.translation_key)
    }


def test_simple_configuration_would_miss_the_french_inflection(book, stemmed):
    french, _english = stemmed

    assert search.search_pks(public_chapters(book.french), "créations", book.french) == [french.pk]
    assert search.search_pks(public_chapters(book.french), "créations", book.french, config="simple") == []
    assert search.search_pks(public_chapters(book.french), "création", book.french, config="simple") == [
        french.pk
    ]


def test_english_query_finds_an_inflected_english_form(client, book, stemmed):
    _french, english = stemmed

    response = client.get(api("search"), {"q": "running", "locale": "en"})
    assert found_keys(response) == {str(english.translation_key)}
    assert all(result["locale"] == "en" for result in response.json()["results"])
    assert found_keys(client.get(api("chapter-list"), {"search": "running", "locale": "en"})) == {
        str(english.translation_key)
    }


def test_simple_configuration_would_miss_the_english_inflection(book, stemmed):
    _french, english = stemmed

    assert search.search_pks(public_chapters(book.english), "running", book.english) == [english.pk]
    assert search.search_pks(public_chapters(book.english), "running", book.english, config="simple") == []


def test_english_text_needs_english_rules(book, stemmed):
    # French stemming leaves « running » whole, so only the English
    # configuration relates it to « runs ».
    _french, english = stemmed
    chapters = public_chapters(book.english)

    assert search.search_pks(chapters, "running", book.english, config="english") == [english.pk]
    assert search.search_pks(chapters, "running", book.english, config="french") == []
