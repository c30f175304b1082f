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
