"""How much of a language version was translated when it was written."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationCoverage(models.Model):
    """How complete the translation held by one revision of a page or snippet is.

    Recorded when the translation tools write a revision of a translated item,
    from the segments translated at that moment; a revision written by hand has
    none. ``untranslated`` lists the places (field names, or ``body.<block id>``
    and deeper paths) where the source text stands in for a missing
    translation, so that readers can be told which language it is in.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="translation_coverage",
    )
    source_language = models.CharField(_("source language"), max_length=100)
    total_segments = models.PositiveIntegerField(_("segments"))
    translated_segments = models.PositiveIntegerField(_("translated segments"))
    untranslated = models.JSONField(_("untranslated places"), default=list, blank=True)
    # Provenance: who wrote the translation, from what, and who approved its publication.
    translators = models.JSONField(_("translators"), default=list, blank=True)
    machine_segments = models.PositiveIntegerField(_("machine-translated segments"), default=0)
    source_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("source revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.CharField(_("reviewed by"), max_length=255, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation coverage")
        verbose_name_plural = _("translation coverages")

    def __str__(self):
        return f"{self.revision_id}: {self.translated_segments}/{self.total_segments}"

    @property
    def untranslated_segments(self):
        return self.total_segments - self.translated_segments

    @property
    def complete(self):
        return self.translated_segments >= self.total_segments

    @property
    def progress(self):
        """The share of segments translated, from 0 to 1, rounded down to two decimals."""
        if not self.total_segments or self.complete:
            return 1.0
        return (self.translated_segments * 100 // self.total_segments) / 100


class TranslationCredit(models.Model):
    """The translators an editor credits for one item in one language, in place of the recorded ones.

    The translation tools record who wrote each segment; the credits printed
    and served are theirs unless an editor names the translators here (a
    translator who worked offline, a team credited under one name).
    """

    translation_key = models.UUIDField(_("translation key"))
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.CASCADE, related_name="+"
    )
    translators = models.JSONField(_("translators"), default=list)

    class Meta:
        verbose_name = _("translation credit")
        verbose_name_plural = _("translation credits")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "locale"], name="book_translation_credit_unique"
            )
        ]

    def __str__(self):
        return ", ".join(self.translators)
