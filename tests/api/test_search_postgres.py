"""Search stems each language with its own PostgreSQL text-search configuration."""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def stored_vectors(page):
    """The configurations a page's stored vectors are in."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT v.config FROM api_searchvector AS v
            JOIN wagtailsearch_indexentry AS e ON e.id = v.entry_id
            WHERE e.object_id = %s
            """,
            [str(page.pk)],
        )
        return {row[0] for row in cursor.fetchall()}


def search_plan(queryset, words, locale):
    """EXPLAIN of the query that matches and ranks, as search_pks sends it."""
    with CaptureQueriesContext(connection) as queries:
        search.search_pks(queryset, words, locale)
    (sql,) = [query["sql"] for query in queries.captured_queries if "api_searchvector" in query["sql"]]
    with connection.cursor() as cursor:
        # On a few unanalysed rows the planner would read every row, or look
        # each item's vector up by its key; told to do neither, it can only
        # find the matches through an index on the vectors, if it has one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_nestloop")
    return plan


def test_every_entry_has_a_vector_in_each_configuration_of_the_book(book, stemmed):
    french, english = stemmed
    configs = set(search.book_configs())

    assert {"french", "english", "simple"} <= configs
    assert search.stored_configs(connection.alias) == configs
    assert stored_vectors(french) == stored_vectors(english) == configs


def test_the_match_reads_the_gin_index_of_the_stored_vectors(book, stemmed):
    plan = search_plan(public_chapters(book.french), "créations", book.french)

    assert "api_searchvector_vector" in plan
    assert "to_tsvector" not in plan


def test_stored_vectors_rank_as_vectors_built_from_the_text(book):
    # Titles weigh more than bodies, and more occurrences more than fewer.
    titled, often, once = (
        ChapterPageFactory(
            parent=book.part_one,
            title=title,
            slug=slug,
            body=[("paragraph", f"<p>{body}</p>")],
        )
        for title, slug, body in [
            ("Jardins suspendus", "jardins", "Une visite."),
            ("Promenade", "promenade", "Des jardins, encore des jardins, toujours des jardins."),
            ("Carnet", "carnet", "Un jardin au loin."),
        ]
    )
    chapters = public_chapters(book.french)
    terms = search.search_terms("jardin")

    stored = search.search_pks(chapters, "jardin", book.french)
    assert stored == [titled.pk, often.pk, once.pk]
    assert stored == search._built_pks(chapters.filter(locale=book.french), terms, "french")


def test_vectors_follow_edits_and_deletions(book, stemmed):
    french, _english = stemmed
    chapters = public_chapters(book.french)

    french.title = "Imprimerie"
    french.save_revision().publish()
    assert search.search_pks(chapters, "imprimeries", book.french) == [french.pk]
    assert search.search_pks(chapters, "atelier", book.french) == []

    french.delete()
    assert stored_vectors(french) == set()


def test_a_configuration_for_a_new_language_gets_vectors_and_a_dropped_one_loses_them(
    settings, book, stemmed
):
    french, _english = stemmed
    chapters = public_chapters(book.french)
    try:
        settings.BOOK_TARGET_LANGUAGES = [*settings.BOOK_TARGET_LANGUAGES, "de"]
        search.store_configs()
        assert "german" in stored_vectors(french)
        assert search.search_pks(chapters, "création", book.french, config="german") == [french.pk]

        settings.BOOK_TARGET_LANGUAGES = ["en"]
        search.store_configs()
        assert stored_vectors(french) == {"french", "english"}
        # A language left without stored vectors is still searched, from the text.
        assert search.search_pks(chapters, "créations", book.french, config="simple") == []
        assert search.search_pks(chapters, "création", book.french, config="simple") == [french.pk]
    finally:
        search.stored_configs.cache_clear()


def test_the_migration_runs_again_and_goes_back(book, stemmed):
    french, _english = stemmed
    chapters = public_chapters(book.french)
    migration = importlib.import_module("api.migrations.0001_initial")
    try:
        with connection.cursor() as cursor:
            cursor.execute(migration.CREATE)
            assert search.search_pks(chapters, "créations", book.french) == [french.pk]

            cursor.execute(migration.DROP)
            cursor.execute(migration.DROP)
            assert "api_searchvector" not in connection.introspection.table_names()

            cursor.execute(migration.CREATE)
        search.store_configs()
        assert search.search_pks(chapters, "créations", book.french) == [french.pk]
    finally:
        search.stored_configs.cache_clear()
