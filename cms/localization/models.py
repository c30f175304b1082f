"""Who translates what, by when: the one piece of workflow state wagtail-localize does not keep."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """An item of the book given to a translator for one language, with an optional due date.

    The item is wagtail-localize's ``TranslatableObject`` (a translation key and
    a content type), so an assignment holds whether or not the translation has
    been started, and follows the item through every sync.
    """

    object = models.ForeignKey(
        "wagtail_localize.TranslatableObject",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="localization_assignments",
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("language"),
        on_delete=models.CASCADE,
        related_name="localization_assignments",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.CASCADE,
        related_name="localization_assignments",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    # The assignee hears once that the source changed, not at every publication
    # before they sync: a sync after this moment makes the next change news again.
    source_change_notified_at = models.DateTimeField(_("source change notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["object", "locale"], name="localization_one_assignee_per_item"),
        ]

    def __str__(self):
        return f"{self.object_id} ({self.locale.language_code}) → {self.assignee}"
