"""The downloadable editions of a book: one file per language and format."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.Model):
    """The EPUB or PDF of the book in one language: the last file built, and how its next build goes.

    The file named here stays the one readers download until a new build
    completes: a build in progress or a failed build never touches it.
    """

    class Format(models.TextChoices):
        EPUB = "epub", "EPUB"
        PDF = "pdf", "PDF"

    class State(models.TextChoices):
        CURRENT = "current", _("Current")
        OUTDATED = "outdated", _("Outdated")
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        FAILED = "failed", _("Failed")

    class Change(models.TextChoices):
        """What made the edition outdated."""

        NEW = "new", _("not built yet")
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")
        MOVED = "moved", _("moved")
        DELETED = "deleted", _("deleted")
        PRIVACY = "privacy", _("privacy changed")
        CREDITS = "credits", _("translators credited")
        REQUESTED = "requested", _("build requested")

    book_key = models.UUIDField(_("book key"), help_text=_("The translation key of the book."))
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("locale"), on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file = models.FileField(_("file"), max_length=500, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_("Every chapter of the source is published in this language."),
    )
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    build_seconds = models.FloatField(_("build time in seconds"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OUTDATED)
    outdated_since = models.DateTimeField(_("outdated since"), null=True, blank=True)
    outdated_change = models.CharField(_("change"), max_length=12, choices=Change.choices, blank=True)
    outdated_subject = models.CharField(
        _("changed item"), max_length=255, blank=True, help_text=_("The title of what changed.")
    )
    error = models.TextField(_("error of the last build"), blank=True)
    building_since = models.DateTimeField(_("building since"), null=True, blank=True)
    rebuild_after = models.DateTimeField(
        _("rebuild queued for"),
        null=True,
        blank=True,
        help_text=_("Set while a rebuild of the language waits in the queue, so that changes share it."),
    )

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["book_key", "locale", "format"], name="one_edition_per_format"),
        ]
        ordering = ["locale_id", "format"]

    def __str__(self):
        return f"{self.book_key} {self.locale_id} {self.format}"
