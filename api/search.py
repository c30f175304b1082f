"""Full-text search in the reader's language, with that language's own stemming.

On PostgreSQL a language is searched with its own text-search configuration:
``french`` for French, ``english`` for English, ``simple`` (no stemming) for a
language PostgreSQL has no configuration for, such as Chinese. Other databases
use the project's Wagtail search backend as it is.

The configuration is applied at query time, not in the index. Wagtail's
database backend keeps one index entry per item, built with the single
``SEARCH_CONFIG`` of its backend, and every configured backend writes that same
entry, so one backend per language would overwrite the others' vectors. The
entry also keeps the plain text it extracted from the item's search fields
(``title_text``, ``body_text``, StreamField bodies included); the vectors are
built from that text with the language's configuration for the public items of
one language only. Every query thus reads and stems the text of one language
again, which a book of a few hundred pages per language affords and which
needs no second index; a corpus many times larger would move to Wagtail's
Elasticsearch or OpenSearch backend with one analyser per language.
"""

import re
from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, router
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
        return _postgres_pks(queryset.filter(locale=locale), terms, config)
    return _backend_pks(queryset, terms, locale)


def _postgres_pks(queryset, terms, config):
    query = SearchQuery(terms, config=config)
    vector = SearchVector("index_entries__title_text", weight="A", config=config) + SearchVector(
        "index_entries__body_text", weight="C", config=config
    )
    return list(
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(vector, query))
        .order_by("-search_rank", "pk")
        .values_list("pk", flat=True)
    )


def _backend_pks(queryset, terms, locale):
    # The backend's index filters on locale and live only; the other conditions
    # of ``queryset`` (private sections, expiry) apply to its matches afterwards.
    candidates = queryset.model.objects.filter(locale=locale, live=True)
    matches = [item.pk for item in get_search_backend().search(terms, candidates)]
    allowed = set(queryset.filter(pk__in=matches).values_list("pk", flat=True))
    return [pk for pk in matches if pk in allowed]
