"""Who translates what, by when, and who approves it: the workflow state wagtail-localize does not keep."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from cms.permissions import can, user_locales


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


class LanguageReviewTask(Task):
    """Approval of a city or a sector by the reviewers of its own language.

    Wagtail assigns the workflows of cities and sectors per model, not per
    language, so one task serves every language and asks, for each object,
    who may publish in that object's language: its reviewers and the editors.
    In the source language that is the editors alone, who maintain these
    collections there.
    """

    def start(self, workflow_state, user=None):
        # The snippet editor resumes a workflow sent back for changes with the
        # object as it was loaded before the new version was saved: without
        # this, the reviewers would be given (and would publish) the version
        # they rejected.
        workflow_state.content_object.refresh_from_db(fields=["latest_revision"])
        return super().start(workflow_state, user=user)

    def _may_review(self, obj, user):
        return can(user, "publish", obj.locale.language_code)

    def user_can_access_editor(self, obj, user):
        return self._may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self._may_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self._may_review(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        # Every way to approve or reject comes through here; the views check
        # get_actions first, this keeps any other caller to the same rule.
        if action_name in ("approve", "reject") and not self._may_review(
            task_state.workflow_state.content_object, user
        ):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        languages = user_locales(user, "publish")
        if settings.BOOK_SOURCE_LANGUAGE in languages:
            # Those who may publish the source language are the editors, who review every language.
            return states
        if not languages:
            return TaskState.objects.none()
        in_languages = Q(pk__in=[])
        content_type_ids = states.values_list("workflow_state__base_content_type", flat=True).distinct()
        for content_type in ContentType.objects.filter(pk__in=content_type_ids):
            object_ids = (
                content_type.model_class()
                ._default_manager.filter(locale__language_code__in=languages)
                .values_list(Cast("pk", CharField()), flat=True)
            )
            in_languages |= Q(
                workflow_state__base_content_type=content_type, workflow_state__object_id__in=object_ids
            )
        return states.filter(in_languages)

    @classmethod
    def get_description(cls):
        return _("The reviewers of the language of each city or sector, and the editors, approve it")

    class Meta:
        verbose_name = _("approval by the reviewers of the language")
        verbose_name_plural = _("approvals by the reviewers of the language")


class StringWords(models.Model):
    """The words of one of wagtail-localize's source strings, counted once.

    A string never changes (a changed text is another string), so its count
    stays true; the queues and the grid add these up in the database instead
    of reading and counting every segment of a language on each request.
    Rows are written when first needed (see ``cms.localization.state``).
    """

    string = models.OneToOneField(
        "wagtail_localize.String", on_delete=models.CASCADE, primary_key=True, related_name="book_words"
    )
    words = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("words of a source string")
        verbose_name_plural = _("words of source strings")

    def __str__(self):
        return f"{self.string_id}: {self.words}"


class ItemTotals(models.Model):
    """How much there is to translate in one item of the book: its segments and their words.

    Counted from the item's translation source (its extracted segments) once
    one exists, else from the segments its publication will have. ``counted_from``
    names what was counted (the source and when it was last read, or the item
    and when it was last published): a count made from anything else is stale
    and counted again on first use (see ``cms.localization.totals``).
    """

    translation_key = models.UUIDField(_("translation key"), unique=True)
    counted_from = models.CharField(_("counted from"), max_length=255)
    segments = models.PositiveIntegerField(_("segments"))
    words = models.PositiveIntegerField(_("words"))

    class Meta:
        verbose_name = _("words of an item")
        verbose_name_plural = _("words of items")

    def __str__(self):
        return f"{self.translation_key}: {self.words}"


class TranslationTotals(models.Model):
    """How much of one item is translated into one language: segments done and words left.

    Counted from the item's translation source (``counted_from``, as on
    :class:`ItemTotals`) and the translated strings of that language; a
    translated string saved or deleted marks the row stale and adds one to its
    ``changes``, and the row is counted again on first use. A count is written
    back only over the ``changes`` it was started under, so one that raced a
    translator's save never replaces the mark that save left.
    """

    translation_key = models.UUIDField(_("translation key"))
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("language"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    counted_from = models.CharField(_("counted from"), max_length=255)
    translated_segments = models.PositiveIntegerField(_("translated segments"))
    words_left = models.PositiveIntegerField(_("words left"))
    changes = models.PositiveIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("words translated of an item")
        verbose_name_plural = _("words translated of items")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "locale"], name="localization_one_total_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.translation_key} ({self.locale_id}): {self.words_left}"
