"""Full-text search in the reader's language, with that language's own stemming.

On PostgreSQL a language is searched with its own text-search configuration:
``french`` for French, ``english`` for English, ``simple`` (no stemming) for a
language PostgreSQL has no configuration for, such as Chinese. Other databases
use the project's Wagtail search backend as it is.

Wagtail's database backend keeps one index entry per item, built with the
single ``SEARCH_CONFIG`` of its backend, and every configured backend writes
that same entry, so one backend per language would overwrite the others'
vectors. The entry also keeps the plain text it extracted from the item's
search fields (``title_text``, ``body_text``, StreamField bodies included).

From that text PostgreSQL keeps vectors of its own (``api_searchvector``, see
the ``api`` migrations): triggers on the index entries write, for every entry,
one vector per configuration of the book's languages (``store_configs`` lists
them after every ``migrate``, so a language added to the settings gets its
vectors then), the title weighted A and the body C. A search matches them
through a GIN index and ranks the matches with the stored vectors: reading and
stemming the text of a whole language again at every query is what this
avoids. The price is paid at indexing time: every entry is stemmed once per
configuration of the book, whatever its own language (six configurations for
the default languages, about 2 ms each for a generated chapter), which no
query has to know. A configuration without stored vectors, such as one forced
for a comparison, is searched with vectors built from the text at query time,
the same expression the triggers store.

A corpus many times larger would move to Wagtail's Elasticsearch or
OpenSearch backend with one analyser per language.
"""

import re
from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, router, transaction
from django.db.models import F
from wagtail.search.backends import get_search_backend

SEARCH_WORD_RE = re.compile(r"\w+")
MAX_SEARCH_WORDS = 32

# PostgreSQL's built-in configurations, by the language code that uses them;
# API_SEARCH_CONFIGS adds to or overrides this map.
POSTGRES_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
SIMPLE_CONFIG = "simple"


def search_terms(query):
    """The words of a reader's query, safe for every search backend.

    Search engines give meaning to quotes, brackets and upper-case operators
    (AND, NOT, NEAR); a reader's query is words to look for, nothing more.
    """
    return " ".join(word.lower() for word in SEARCH_WORD_RE.findall(query)[:MAX_SEARCH_WORDS])


@cache
def available_configs(alias):
    """The text-search configurations of the database behind ``alias`` (one query per process)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def config_for(language_code, alias="default"):
    """The PostgreSQL text-search configuration for a language: its own, else ``simple``."""
    code = language_code.lower()
    configured = {**POSTGRES_CONFIGS, **getattr(settings, "API_SEARCH_CONFIGS", {})}
    name = configured.get(code) or configured.get(code.split("-")[0])
    if name and name in available_configs(alias):
        return name
    return SIMPLE_CONFIG


@cache
def stored_configs(alias):
    """The configurations ``alias`` keeps vectors in (one query per process, until ``store_configs``)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT name FROM api_searchconfig")
        return frozenset(row[0] for row in cursor.fetchall())


def book_configs(alias="default"):
    """The configurations of the book's languages, ``simple`` included for those PostgreSQL lacks."""
    codes = [settings.BOOK_SOURCE_LANGUAGE, *settings.BOOK_TARGET_LANGUAGES]
    return sorted({config_for(code, alias) for code in codes})


def store_configs(alias="default"):
    """Keep vectors in the configurations of the book's languages, and in no other.

    The vectors of a configuration no language uses any more are dropped; a
    new one's are written for every index entry at once (about two seconds
    for a thousand chapters). Runs after every ``migrate``; nothing to do elsewhere
    than on PostgreSQL.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql" or "api_searchconfig" not in connection.introspection.table_names():
        return
    wanted = book_configs(alias)
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE api_searchconfig IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM api_searchconfig WHERE NOT name = ANY(%s)", [wanted])
        cursor.execute("DELETE FROM api_searchvector WHERE NOT config = ANY(%s)", [wanted])
        cursor.execute(
            "INSERT INTO api_searchconfig (name) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING RETURNING name",
            [wanted],
        )
        added = [row[0] for row in cursor.fetchall()]
        if added:
            cursor.execute(
                """
                INSERT INTO api_searchvector (entry_id, config, vector)
                SELECT e.id, c.name,
                       setweight(to_tsvector(c.name::regconfig, COALESCE(e.title_text, '')), 'A')
                       || setweight(to_tsvector(c.name::regconfig, COALESCE(e.body_text, '')), 'C')
                FROM wagtailsearch_indexentry AS e CROSS JOIN unnest(%s::text[]) AS c(name)
                ON CONFLICT (entry_id, config) DO UPDATE SET vector = EXCLUDED.vector
                """,
                [added],
            )
    stored_configs.cache_clear()


def store_configs_after_migrate(using, **kwargs):
    store_configs(using)


def search_pks(queryset, query, locale, config=None):
    """The ids of the items of ``queryset`` in ``locale`` that match a full-text query, best match first.

    ``config`` forces a PostgreSQL text-search configuration instead of the
    language's own (to compare configurations); other databases ignore it.
    """
    terms = search_terms(query)
    if not terms:
        return []
    alias = router.db_for_read(queryset.model)
    if connections[alias].vendor == "postgresql":
        config = config or config_for(locale.language_code, alias)
        queryset = queryset.filter(locale=locale)
        if config in stored_configs(alias):
            return _stored_pks(queryset, terms, config)
        return _built_pks(queryset, terms, config)
    return _backend_pks(queryset, terms, locale)


def _ranked_pks(queryset, query, vector):
    return list(
        queryset.annotate(search_rank=SearchRank(vector, query))
        .order_by("-search_rank", "pk")
        .values_list("pk", flat=True)
    )


def _stored_pks(queryset, terms, config):
    query = SearchQuery(terms, config=config)
    # One filter() for both conditions, so that they and the rank read the same
    # stored vector: the one of this configuration.
    matches = queryset.filter(
        index_entries__api_vectors__config=config, index_entries__api_vectors__vector=query
    )
    return _ranked_pks(matches, query, F("index_entries__api_vectors__vector"))


def _built_pks(queryset, terms, config):
    query = SearchQuery(terms, config=config)
    vector = SearchVector("index_entries__title_text", weight="A", config=config) + SearchVector(
        "index_entries__body_text", weight="C", config=config
    )
    return _ranked_pks(queryset.annotate(search_vector=vector).filter(search_vector=query), query, vector)


def _backend_pks(queryset, terms, locale):
    # The backend's index filters on locale and live only; the other conditions
    # of ``queryset`` (private sections, expiry) apply to its matches afterwards.
    candidates = queryset.model.objects.filter(locale=locale, live=True)
    matches = [item.pk for item in get_search_backend().search(terms, candidates)]
    allowed = set(queryset.filter(pk__in=matches).values_list("pk", flat=True))
    return [pk for pk in matches if pk in allowed]
