"""The demo book, loaded once per test process and written again, row by row, into later tests.

Loading the demo goes through Wagtail and wagtail-localize (pages, revisions,
publication, translations, the search index, images): seconds of work that
dozens of tests ask for. The first test that asks loads it for real, and what
loading changed is recorded: the rows it added to and removed from every table,
and the media files it wrote. A later test whose database is, before loading,
exactly as it was then (the migrated database, rolled back between tests) gets
those rows and files written directly, which takes milliseconds and gives the
same database. Any other test loads the demo for real: one whose fixtures wrote
rows first, and one whose transactions commit (a live server's), since loading
may leave work to run once its transaction commits.

Tables filled by database triggers (the search index's full-text tables on
SQLite, its stored vectors on PostgreSQL) are left to their triggers, which
run as the rows are written again.
"""

from collections import Counter
from io import StringIO

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

TRIGGER_FILLED = ("wagtailsearch_indexentry_fts", "api_searchvector")
LEFT_OUT = {"sqlite_sequence", "django_migrations"}


def _tables(cursor):
    return sorted(
        name
        for name in connection.introspection.table_names(cursor)
        if name not in LEFT_OUT and not name.startswith(TRIGGER_FILLED)
    )


class Table:
    """How the rows of one table are read, compared and written back on this database."""

    def __init__(self, cursor, name):
        self.name = name
        self.quoted = connection.ops.quote_name(name)
        self.postgresql = connection.vendor == "postgresql"
        if not self.postgresql:
            cursor.execute(f"SELECT * FROM {self.quoted} LIMIT 0")
            self.columns = [column[0] for column in cursor.description]

    def rows(self, cursor):
        if self.postgresql:
            # One text per row, which PostgreSQL turns back into the same row, whatever its types.
            cursor.execute(f"SELECT row_to_json(t)::text FROM {self.quoted} t")
            return Counter(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT * FROM {self.quoted}")
        return Counter(cursor.fetchall())

    def delete(self, cursor, row):
        if self.postgresql:
            cursor.execute(
                f"DELETE FROM {self.quoted} WHERE ctid = "
                f"(SELECT ctid FROM {self.quoted} t WHERE row_to_json(t)::text = %s LIMIT 1)",
                [row],
            )
            return
        matches = " AND ".join(f"{connection.ops.quote_name(column)} IS %s" for column in self.columns)
        cursor.execute(
            f"DELETE FROM {self.quoted} WHERE rowid = (SELECT rowid FROM {self.quoted} WHERE {matches} LIMIT 1)",
            list(row),
        )

    def insert(self, cursor, row):
        if self.postgresql:
            cursor.execute(
                f"INSERT INTO {self.quoted} SELECT * FROM json_populate_record(NULL::{self.quoted}, %s)",
                [row],
            )
            return
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        placeholders = ", ".join(["%s"] * len(self.columns))
        cursor.execute(f"INSERT INTO {self.quoted} ({columns}) VALUES ({placeholders})", list(row))


def _database(cursor):
    return {name: Table(cursor, name).rows(cursor) for name in _tables(cursor)}


def _media_files(directory=""):
    """Every file of the media storage, by name."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return set()
    names = {f"{directory}{name}" for name in files}
    for folder in folders:
        names |= _media_files(f"{directory}{folder}/")
    return names


class Recording:
    """What loading the demo changed, from one state of the database."""

    def __init__(self, before, after, files):
        self.before = before
        self.removed = {name: before[name] - after.get(name, Counter()) for name in before}
        self.added = {name: after[name] - before.get(name, Counter()) for name in after}
        self.files = files

    def replay(self):
        with transaction.atomic(), connection.cursor() as cursor:
            changed = set()
            for name, rows in self.removed.items():
                table = Table(cursor, name)
                for row in rows.elements():
                    table.delete(cursor, row)
            for name, rows in self.added.items():
                table = Table(cursor, name)
                for row in rows.elements():
                    table.insert(cursor, row)
                    changed.add(name)
            # Rows written with their ids: the next row a test adds must come after them.
            models = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table in changed
            ]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        for name, content in self.files.items():
            saved = default_storage.save(name, ContentFile(content))
            assert saved == name, f"the demo's file {name} was stored as {saved}"


# What loading changed, by the state of the database it was loaded into.
_recordings = {}


def _state_key(state):
    return hash(tuple(sorted((name, frozenset(rows.items())) for name, rows in state.items())))


def load_demo():
    """Load the demo book into the test's database, by writing rows again when it can."""
    replayable = connection.in_atomic_block
    with connection.cursor() as cursor:
        before = _database(cursor) if replayable else None
    recording = _recordings.get(_state_key(before)) if replayable else None
    if recording is not None and recording.before == before:
        recording.replay()
        return
    files_before = _media_files()
    call_command("load_demo_book", stdout=StringIO())
    if replayable:
        with connection.cursor() as cursor:
            after = _database(cursor)
        files = {}
        for name in sorted(_media_files() - files_before):
            with default_storage.open(name, "rb") as file:
                files[name] = file.read()
        _recordings[_state_key(before)] = Recording(before, after, files)
