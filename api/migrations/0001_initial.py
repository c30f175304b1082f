"""The stored search vectors of ``api.search`` and the triggers that keep them, on PostgreSQL.

``api_searchconfig`` lists the text-search configurations to store vectors in
(``api.search.store_configs`` fills it after every ``migrate``, from the book's
languages); ``api_searchvector`` holds, for every Wagtail index entry and each
of those configurations, the weighted vector the search ranks: the title
weighted A, the body C. Triggers on ``wagtailsearch_indexentry`` write an
entry's vectors when it is added or its text changes, and remove them with it.

Other databases get nothing: they search with Wagtail's backend. Every
statement may run again (``IF NOT EXISTS``, ``OR REPLACE``); going back drops
it all.
"""

from django.db import migrations, models

import django.contrib.postgres.search

CREATE = """
CREATE TABLE IF NOT EXISTS api_searchconfig (name text PRIMARY KEY);

CREATE TABLE IF NOT EXISTS api_searchvector (
    entry_id integer NOT NULL,
    config text NOT NULL,
    vector tsvector NOT NULL,
    PRIMARY KEY (entry_id, config)
);

-- Written at publication, read at every search: entries go straight into the
-- index rather than into a pending list every search would scan until VACUUM.
CREATE INDEX IF NOT EXISTS api_searchvector_vector ON api_searchvector USING gin (vector)
    WITH (fastupdate = off);

CREATE OR REPLACE FUNCTION api_searchvector_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO api_searchvector (entry_id, config, vector)
    SELECT NEW.id, c.name,
           setweight(to_tsvector(c.name::regconfig, COALESCE(NEW.title_text, '')), 'A')
           || setweight(to_tsvector(c.name::regconfig, COALESCE(NEW.body_text, '')), 'C')
    FROM api_searchconfig AS c
    ON CONFLICT (entry_id, config) DO UPDATE SET vector = EXCLUDED.vector;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION api_searchvector_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM api_searchvector WHERE entry_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION api_searchvector_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE api_searchvector;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER api_searchvector_insert
    AFTER INSERT ON wagtailsearch_indexentry
    FOR EACH ROW EXECUTE FUNCTION api_searchvector_write();

CREATE OR REPLACE TRIGGER api_searchvector_update
    AFTER UPDATE OF title_text, body_text ON wagtailsearch_indexentry
    FOR EACH ROW
    WHEN (OLD.title_text IS DISTINCT FROM NEW.title_text OR OLD.body_text IS DISTINCT FROM NEW.body_text)
    EXECUTE FUNCTION api_searchvector_write();

CREATE OR REPLACE TRIGGER api_searchvector_delete
    AFTER DELETE ON wagtailsearch_indexentry
    FOR EACH ROW EXECUTE FUNCTION api_searchvector_delete();

CREATE OR REPLACE TRIGGER api_searchvector_truncate
    AFTER TRUNCATE ON wagtailsearch_indexentry
    FOR EACH STATEMENT EXECUTE FUNCTION api_searchvector_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS api_searchvector_insert ON wagtailsearch_indexentry;
DROP TRIGGER IF EXISTS api_searchvector_update ON wagtailsearch_indexentry;
DROP TRIGGER IF EXISTS api_searchvector_delete ON wagtailsearch_indexentry;
DROP TRIGGER IF EXISTS api_searchvector_truncate ON wagtailsearch_indexentry;
DROP FUNCTION IF EXISTS api_searchvector_write();
DROP FUNCTION IF EXISTS api_searchvector_delete();
DROP FUNCTION IF EXISTS api_searchvector_truncate();
DROP TABLE IF EXISTS api_searchvector;
DROP TABLE IF EXISTS api_searchconfig;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredVector",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "entry", "config", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("config", models.TextField()),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "api_searchvector",
                "managed": False,
            },
        ),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
