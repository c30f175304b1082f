"""What the editorial side keeps for itself, beside the content."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MirroredViewRestriction(models.Model):
    """Marks a translation's privacy as its source page's, kept in step with it (see :mod:`cms.privacy`).

    A translation's restriction without this mark was given to it on purpose,
    differing from its source's, and is left as it is.
    """

    restriction = models.OneToOneField(
        "wagtailcore.PageViewRestriction",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mirrored",
        verbose_name=_("restriction"),
    )

    class Meta:
        verbose_name = _("privacy mirrored from the source")
        verbose_name_plural = _("privacy mirrored from the source")

    def __str__(self):
        return str(self.restriction)
