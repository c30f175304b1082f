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
