"""What one request reads in: the locale it asked for, where that falls back to, and shared look-ups."""

import functools
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, PageViewRestriction

LOCALE_PARAMETER = "locale"
# Stands for an item's key in the detail URL reversed once per kind (see ``Reader.item_url``).
KEY_SENTINEL = uuid.UUID(int=0)


def fallback_codes(code):
    """The language codes tried, in order, after ``code`` when it has no published version."""
    configured = getattr(settings, "API_LOCALE_FALLBACKS", {}) or {}
    return [*configured.get(code, []), settings.LANGUAGE_CODE]


def all_locales():
    """Every locale, in the order they were made; one query.

    Written in SQL: every request of the API reads them, and building this query through
    the ORM costs more than running it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_locales_sql())
        rows = cursor.fetchall()
    return [Locale.from_db(connection.alias, _LOCALE_FIELDS, row) for row in rows]


_LOCALE_FIELDS = ["id", "language_code"]


@functools.cache
def _locales_sql():
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Locale._meta.get_field(name).column) for name in _LOCALE_FIELDS)
    return f"SELECT {columns} FROM {quote(Locale._meta.db_table)} ORDER BY {quote(Locale._meta.pk.column)}"


@functools.cache
def _restricted_sql():
    """The paths and depths of the restricted pages. Written in SQL, as ``all_locales``: every list reads them."""
    quote = connection.ops.quote_name
    restrictions, pages = quote(PageViewRestriction._meta.db_table), quote(Page._meta.db_table)
    page_id = quote(PageViewRestriction._meta.get_field("page").column)
    path, depth, pk = (quote(Page._meta.get_field(name).column) for name in ("path", "depth", "id"))
    return f"SELECT p.{path}, p.{depth} FROM {restrictions} r INNER JOIN {pages} p ON r.{page_id} = p.{pk}"


def private_q(restricted):
    """The pages under the restricted pages ``restricted``, ``(path, depth)`` pairs.

    As Wagtail's ``PageQuerySet.private_q``: each restricted page and its descendants.
    """
    q = Q()
    for path, depth in restricted:
        q |= Q(path__startswith=path, depth__gte=depth)
    # Matches no page when no section is private.
    return q if q else Q(pk__in=[])


class Reader:
    """The locale a request is served in and the state its serializers share.

    Built once per request; every look-up that would otherwise repeat per item
    (the locales, the private sections of the site) is made here once.
    """

    def __init__(self, request, locale_code=None):
        """``locale_code``: the language to serve, when the request's ``locale`` does not decide it."""
        from .errors import ParameterError

        self.request = request
        # Set when something could not be described in full (see api.images).
        self.incomplete = False
        self.locales = all_locales()
        self.codes = {locale.pk: locale.language_code for locale in self.locales}
        by_code = {locale.language_code.lower(): locale for locale in self.locales}
        requested = (
            locale_code or request.query_params.get(LOCALE_PARAMETER, "").strip() or settings.LANGUAGE_CODE
        )
        self.locale = by_code.get(requested.lower())
        if self.locale is None:
            raise ParameterError(
                LOCALE_PARAMETER,
                _("Unknown locale “%(code)s”. The available locales are listed at %(url)s.")
                % {"code": requested, "url": reverse("api:locale-list")},
                code="unknown_locale",
            )
        chain = [self.locale]
        for code in fallback_codes(self.locale.language_code):
            locale = by_code.get(code.lower())
            if locale is not None and locale not in chain:
                chain.append(locale)
        self.chain = chain
        self._detail_paths = {}
        self._list_paths = {}

    @cached_property
    def restricted(self):
        """The paths and depths of the restricted pages, in a tuple; one query for the whole request.

        Only those are read, not the restrictions and their pages as model instances.
        """
        with connection.cursor() as cursor:
            cursor.execute(_restricted_sql())
            # In order: the same sections are the same tuple, which keys the lists' queries (``api.listing``).
            return tuple(sorted(tuple(row) for row in cursor.fetchall()))

    @cached_property
    def private_q(self):
        """The pages under a view restriction (see ``private_q``)."""
        return private_q(self.restricted)

    def chain_from(self, locale_id):
        """The fallback chain starting at the locale actually served."""
        ids = [locale.pk for locale in self.chain]
        return ids[ids.index(locale_id) :] if locale_id in ids else ids

    @property
    def chain_ids(self):
        return [locale.pk for locale in self.chain]

    def code(self, locale_id):
        return self.codes[locale_id]

    def absolute(self, path, **query):
        query = {name: value for name, value in query.items() if value is not None}
        url = self.request.build_absolute_uri(path)
        return f"{url}?{urlencode(query)}" if query else url

    def item_url(self, kind, key, locale_id):
        return self.absolute(self._detail_path(kind, key), locale=self.code(locale_id))

    def list_url(self, kind, locale_id, **query):
        if kind not in self._list_paths:
            self._list_paths[kind] = reverse(f"api:{kind}-list")
        return self.absolute(self._list_paths[kind], locale=self.code(locale_id), **query)

    def _detail_path(self, kind, key):
        """The path of an item's detail. A response names many items: the URL of each kind is
        reversed once, with a stand-in key that the item's key then replaces."""
        if not isinstance(key, uuid.UUID):
            return reverse(f"api:{kind}-detail", kwargs={"ref": key})
        if kind not in self._detail_paths:
            path = reverse(f"api:{kind}-detail", kwargs={"ref": KEY_SENTINEL})
            self._detail_paths[kind] = path.rpartition(str(KEY_SENTINEL))
        before, _sentinel, after = self._detail_paths[kind]
        return f"{before}{key}{after}"
