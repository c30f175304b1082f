"""The API's own tables: the sites that read it, their keys and usage; and the search vectors of ``api.search``.

The search vectors' table and the triggers that fill it are created by the
``api`` migrations on PostgreSQL; Django does not manage them, and other
databases have neither.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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


def default_site_quota():
    from django.conf import settings

    return settings.API_SITE_DEFAULT_QUOTA


class ApiSite(models.Model):
    """A website or app that reads the book through the API, known to the editors.

    Its keys identify its requests: they get the site's own quota instead of
    the anonymous rate of their address, and its usage is counted apart.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    city = models.CharField(
        _("city"), max_length=200, blank=True, help_text=_("The city (or organisation) the site belongs to.")
    )
    contact = models.CharField(
        _("contact"),
        max_length=254,
        blank=True,
        help_text=_("Who to write to about this site: a name and an e-mail address."),
    )
    quota = models.PositiveIntegerField(
        _("quota"),
        default=default_site_quota,
        validators=[MinValueValidator(1)],
        help_text=_("Requests per minute; a request answered 304 Not Modified costs a tenth of one."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API site")
        verbose_name_plural = _("API sites")

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    """One key of a site, kept as its SHA-256 only: the key itself is shown once, when made.

    A key reads ``bk_<prefix>_<secret>``: the prefix finds the row, and the
    hash of the whole key is compared in constant time.
    """

    site = models.ForeignKey(ApiSite, on_delete=models.CASCADE, related_name="keys", verbose_name=_("site"))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    hashed = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"bk_{self.prefix}_…"

    @property
    def active(self):
        return self.revoked_at is None


class ApiUsage(models.Model):
    """How many requests a site (or the anonymous clients, ``site`` empty) made in one day (UTC).

    Written by the worker from the shared cache's counters (``api.usage``),
    never by the requests themselves. ``seen_*`` are the values of those
    counters that are already added here, so that reading them again adds
    nothing twice.
    """

    site = models.ForeignKey(
        ApiSite, on_delete=models.CASCADE, null=True, blank=True, related_name="usage", verbose_name=_("site")
    )
    day = models.DateField(_("day"))
    requests = models.PositiveBigIntegerField(_("requests"), default=0)
    not_modified = models.PositiveBigIntegerField(_("not modified"), default=0)
    throttled = models.PositiveBigIntegerField(_("throttled"), default=0)
    seen_epoch = models.CharField(max_length=32, blank=True)
    seen_requests = models.PositiveBigIntegerField(default=0)
    seen_not_modified = models.PositiveBigIntegerField(default=0)
    seen_throttled = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "site"]
        verbose_name = _("API usage")
        verbose_name_plural = _("API usage")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day"], condition=models.Q(site__isnull=False), name="api_usage_site_day"
            ),
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(site__isnull=True), name="api_usage_anonymous_day"
            ),
        ]

    def __str__(self):
        return f"{self.site or _('anonymous')} {self.day}"


class StoredDocument(models.Model):
    """One public document as the API serves it: an item's detail, or the summary lists embed.

    Kept per item (its translation key) and requested language; its URLs name a
    stand-in origin that the request's own replaces (``api.documents``). It is
    current while no change to what it shows was recorded after it was built:
    ``built_seq`` is the sequence number of changes when its build began.
    """

    DETAIL = "d"
    SUMMARY = "s"

    key = models.CharField(max_length=32)
    locale_id = models.IntegerField()
    shape = models.CharField(max_length=1, choices=[(DETAIL, "detail"), (SUMMARY, "summary")])
    kind = models.CharField(max_length=32)
    body = models.BinaryField()
    etag = models.CharField(max_length=32)
    content_language = models.CharField(max_length=100)
    built_seq = models.BigIntegerField()
    valid_until = models.DateTimeField(null=True)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "locale_id", "shape"], name="api_document_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.locale_id}, {self.get_shape_display()})"


class DocumentGeneration(models.Model):
    """The sequence number of the last change to a thing documents show (an item's key, an image...).

    Two rows are special: ``#`` counts the changes, ``*`` is the last change to everything.
    Rows are never deleted, so that a number never goes back.
    """

    target = models.CharField(max_length=64, unique=True)
    seq = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.target}: {self.seq}"


class DocumentDependency(models.Model):
    """A thing (``target``) the documents of an item (``key``) show or would show were it public."""

    key = models.CharField(max_length=32)
    kind = models.CharField(max_length=32)
    target = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "target"], name="api_document_dependency_unique"),
        ]

    def __str__(self):
        return f"{self.key} shows {self.target}"
