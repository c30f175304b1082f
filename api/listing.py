"""The keys on one page of a list that names no filter, read with SQL built once per process.

A list of stored summaries (``ItemViewSet.list_documents``) reads first the keys of the items on
its page, with the count of all. Built through the ORM, that query costs several times more than
running it, and it is the same at every request of a kind but for the moment that tells what has
expired, the language, the private sections and the page's bounds. So it is built once for each
kind, database and set of private sections, with stand-ins for the moment and the language that
the request's values replace; the page's bounds are parameters of a LIMIT and OFFSET of its own.
A new private section makes a new query: the sections are part of what it was built for.
"""

import datetime
import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Min, Window
from django.utils import timezone

from .pagination import NEXT_EXPIRY, TOTAL
from .reader import private_q

# Stand-ins, values no request has: where each is found among the compiled query's parameters,
# the request's value takes its place.
MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
LOCALE_ID = -790_312_456
# At most so many queries are kept: one per kind and set of private sections, which seldom change.
KEPT = 64


class KeysQuery:
    """The SQL of a list's keys and their count, its parameters, and where the moment and the
    language go among them."""

    def __init__(self, viewset, alias, restricted):
        connection = connections[alias]
        queryset = viewset.unfiltered(private_q(restricted), LOCALE_ID, now=MOMENT)
        # With the count of all, the moment the first of them expires: when the list stops holding.
        columns = {TOTAL: Window(Count("*")), NEXT_EXPIRY: Window(Min("expire_at"))}
        rows = queryset.annotate(**columns).values_list("translation_key", *columns)
        compiler = rows.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.sql = f"{sql} LIMIT %s OFFSET %s"
        self.params = list(params)
        self.expire_at = viewset.model._meta.get_field("expire_at")
        self.moment_at = self._only(self.params, self.expire_at.get_db_prep_value(MOMENT, connection))
        self.locale_at = self._only(self.params, LOCALE_ID)
        selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(selected).items())

    @staticmethod
    def _only(params, stand_in):
        """Where the one parameter ``stand_in`` is."""
        found = [index for index, value in enumerate(params) if value == stand_in]
        if len(found) != 1:
            # The query would be run with a value of no request: never.
            raise RuntimeError(f"{stand_in!r} is found {len(found)} times in the list's parameters.")
        return found[0]

    def rows(self, alias, locale_id, start, size):
        """The rows ``(key, count of all, earliest expiry of all)`` from ``start``, at most ``size`` of
        them, read now."""
        connection = connections[alias]
        params = list(self.params)
        params[self.moment_at] = self.expire_at.get_db_prep_value(timezone.now(), connection)
        params[self.locale_at] = locale_id
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [*params, size, start])
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:
            for index, (converters, expression) in self.converters:
                for converter in converters:
                    row[index] = converter(row[index], expression, connection)
        return rows


@functools.lru_cache(maxsize=KEPT)
def keys_query(viewset, alias, vendor, restricted):
    """The ``KeysQuery`` of ``viewset``'s list on database ``alias`` (of ``vendor``: a database of
    another kind under the same name, as tests may make, has a query of its own), where the pages
    ``restricted`` (``Reader.restricted``) are private."""
    return KeysQuery(viewset, alias, restricted)


def page_of_keys(viewset, reader, start, size):
    """The rows ``(key, count of all, earliest expiry of all)`` of ``viewset``'s list read by ``reader``,
    when it names no filter: those of ``viewset.unfiltered`` now, from ``start``, at most ``size``."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    query = keys_query(viewset, DEFAULT_DB_ALIAS, vendor, reader.restricted)
    return query.rows(DEFAULT_DB_ALIAS, reader.locale.pk, start, size)
