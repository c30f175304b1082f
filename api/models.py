"""The API's own table: the search vectors of ``api.search``, on PostgreSQL only.

The table and the triggers that fill it are created by the ``api`` migrations
on PostgreSQL; Django does not manage them, and other databases have neither.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class StoredVector(models.Model):
    """The text of one search index entry as a ``tsvector`` of one text-search configuration.

    PostgreSQL writes these rows itself, from triggers on Wagtail's index
    entries, in every configuration listed in ``api_searchconfig``.
    """

    pk = models.CompositePrimaryKey("entry", "config")
    entry = models.ForeignKey(
        "wagtailsearch.IndexEntry",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="api_vectors",
    )
    config = models.TextField()
    vector = SearchVectorField()

    wagtail_reference_index_ignore = True

    class Meta:
        managed = False
        db_table = "api_searchvector"

    def __str__(self):
        return f"{self.entry_id} ({self.config})"


class StoredVectorRouter:
    """Keeps Django's data commands off the stored vectors: PostgreSQL derives them from the index entries.

    ``dumpdata`` would fail where the table does not exist (SQLite) and, on
    PostgreSQL, dump rows that loading the index entries writes again.
    """

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == StoredVector._meta.app_label and model_name == StoredVector._meta.model_name:
            return False
        return None
