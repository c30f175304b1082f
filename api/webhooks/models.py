"""What the public API's clients are told about: changes to the book, who is told, and each telling."""

import secrets

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from book import kinds

# Error texts kept on a delivery are cut to this many characters.
ERROR_MAX_LENGTH = 1000


class Event(models.TextChoices):
    PUBLISHED = "published", _("published")
    UNPUBLISHED = "unpublished", _("unpublished")
    DELETED = "deleted", _("deleted")


# The kinds of item, named as the public API names them (``book.kinds``).
ItemType = models.TextChoices(
    "ItemType", [(kind.name.upper(), (kind.name, kind.label)) for kind in kinds.KINDS]
)


def all_events():
    return [event.value for event in Event]


def new_secret():
    return secrets.token_urlsafe(32)


class ChangeEvent(models.Model):
    """One item of the book published, unpublished or deleted in one language: a line of the change feed."""

    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    key = models.UUIDField(_("key"), help_text=_("The key shared by every language version of the item."))
    locale = models.CharField(_("language"), max_length=100)
    type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    url = models.URLField(_("URL"), max_length=500, help_text=_("The item's address in the public API."))
    timestamp = models.DateTimeField(_("timestamp"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["timestamp", "pk"]

    def __str__(self):
        return f"{self.get_event_display()} {self.get_type_display()} {self.key} ({self.locale})"


class Subscriber(models.Model):
    """A site reading the book that is told of each change at its URL, signed with its secret."""

    name = models.CharField(_("name"), max_length=255)
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where each change is sent, by POST, as JSON (http or https)."),
    )
    secret = models.CharField(_("secret"), max_length=128, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    events = models.JSONField(
        _("events"), default=all_events, help_text=_("The changes this subscriber is told of.")
    )
    batch = models.BooleanField(
        _("batch"),
        default=False,
        help_text=_(
            "Send the changes of one publication (a language released, pages published together) as one "
            "POST listing them, instead of one POST per change."
        ),
    )
    site = models.ForeignKey(
        "api.ApiSite",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscribers",
        verbose_name=_("API site"),
        help_text=_(
            "The site that manages this subscription with its API key; empty when editors manage it."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscriber")
        verbose_name_plural = _("webhook subscribers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def wants(self, event):
        return event in (self.events or [])

    @property
    def masked_secret(self):
        return f"…{self.secret[-4:]}" if self.secret else ""


class Delivery(models.Model):
    """One change sent to one subscriber, with how its attempts went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RETRYING = "retrying", _("retrying")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscriber")
    )
    event = models.ForeignKey(
        ChangeEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("change")
    )
    # A batched delivery: every change of one transaction, the first of which is ``event``.
    batched = models.BooleanField(_("batched"), default=False)
    changes = models.ManyToManyField(
        ChangeEvent, blank=True, related_name="batch_deliveries", verbose_name=_("changes")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscriber", "-created_at"], name="webhooks_delivery_recent_idx")]

    def __str__(self):
        return f"{self.event} → {self.subscriber}"

    def sent_changes(self):
        """The changes this delivery sends: its batch in the order recorded, or its one change."""
        if self.batched:
            return list(self.changes.order_by("pk"))
        return [self.event]

    def record_error(self, message):
        self.last_error = message[:ERROR_MAX_LENGTH]
