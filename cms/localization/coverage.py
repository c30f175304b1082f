"""Whether a translation is complete enough to be published, and whether it may change now.

A translation reaches readers only when every segment is translated, unless
the editors allow partial publication in its language
(``BOOK_PARTIAL_PUBLICATION_LANGUAGES``). The rule holds on every way to
publication: submitting for review, the reviewers' approval and an editor's
Publish. Each revision that wagtail-localize writes into a translated item
records how complete it was (:class:`book.models.TranslationCoverage`), so
that an approval judges the revision under review, and the API tells readers
what they are given.

While an item awaits review, its translation is frozen: segment edits and
PO uploads are refused, naming the review, so that what the reviewers approve
is all of the work done and nothing done meanwhile is left out of it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, TaskState, WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from book import provenance
from book.models import TranslationCoverage


@dataclass
class Coverage:
    """The segments of one translation, and where those not translated are."""

    total: int
    translated: int
    untranslated: list = field(default_factory=list)
    # Segments as a machine translated them, which no person has edited since.
    machine: int = 0
    # {user id: segments}: who last wrote the segments a person translated.
    authors: dict = field(default_factory=dict)

    @property
    def missing(self):
        return self.total - self.translated

    @property
    def complete(self):
        return self.missing <= 0


def coverage(source, locale):
    """How much of ``source`` is translated into ``locale`` now, and by whom (two queries)."""
    done = {
        (string_id, context_id): (kind, author)
        for string_id, context_id, kind, author in StringTranslation.objects.filter(
            locale=locale, context__object_id=source.object_id, has_error=False
        ).values_list("translation_of_id", "context_id", "translation_type", "last_translated_by_id")
    }
    segments = StringSegment.objects.filter(source=source).values_list(
        "string_id", "context_id", "context__path"
    )
    total, translated, untranslated, machine, authors = provenance.count_segments(segments, done)
    return Coverage(
        total=total, translated=translated, untranslated=untranslated, machine=machine, authors=authors
    )


def translator_names(authors):
    """The names of the people who wrote segments, the most segments first (one query, none without any)."""
    if not authors:
        return []
    return provenance.names_of(get_user_model()._default_manager.filter(pk__in=authors), authors)


def source_revision(source):
    """The revision of the source item that ``source`` (a ``TranslationSource``) was last read from.

    The source's live revision, unless it was published after the translation
    source was last synchronised: then the last revision made before that.
    """
    instance = source.get_source_instance()
    live = getattr(instance, "live_revision", None)
    if live is not None and live.created_at <= source.last_updated_at:
        return live.pk
    if not hasattr(instance, "revisions"):
        return None
    return (
        instance.revisions.filter(created_at__lte=source.last_updated_at)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


def record(log):
    """Keep how complete the revision wagtail-localize just wrote is, and where its words come from
    (a ``TranslationLog`` with its revision)."""
    found = coverage(log.source, log.locale)
    TranslationCoverage.objects.update_or_create(
        revision_id=log.revision_id,
        defaults={
            "source_language": log.source.locale.language_code,
            "total_segments": found.total,
            "translated_segments": found.translated,
            "untranslated": found.untranslated,
            "translators": translator_names(found.authors),
            "machine_segments": found.machine,
            "source_revision_id": source_revision(log.source),
        },
    )


def record_review(instance, revision):
    """Add to a published translation's record who approved it in review, and when.

    The approval is the review workflow's last approved task on the revision
    published; a publication without review records nobody. A translation
    written by hand gets its record here, with the source's revision live at
    the time. Items in the book's source language have none.
    """
    if revision is None or instance.locale.language_code == settings.BOOK_SOURCE_LANGUAGE:
        return
    approval = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
    reviewer = approval.finished_by if approval is not None else None
    recorded = TranslationCoverage.objects.filter(revision=revision).first()
    if recorded is None:
        source = (
            type(instance)
            ._default_manager.filter(
                translation_key=instance.translation_key, locale__language_code=settings.BOOK_SOURCE_LANGUAGE
            )
            .first()
        )
        recorded = TranslationCoverage(
            revision=revision,
            source_language=settings.BOOK_SOURCE_LANGUAGE,
            total_segments=0,
            translated_segments=0,
            source_revision_id=getattr(source, "live_revision_id", None),
        )
    recorded.reviewed_by = provenance.person_name(reviewer)
    recorded.reviewed_at = approval.finished_at if approval is not None else None
    recorded.save()


def _on_translation_written(sender, instance, created, **kwargs):
    if created and instance.revision_id is not None:
        record(instance)


def _on_page_published(sender, instance, revision=None, **kwargs):
    record_review(instance, revision if revision is not None else instance.live_revision)


def _on_snippet_published(sender, instance, revision=None, **kwargs):
    # Pages send this too, after page_published.
    if isinstance(instance, Page) or not hasattr(instance, "translation_key"):
        return
    record_review(instance, revision if revision is not None else getattr(instance, "live_revision", None))


def connect_signals():
    from django.db.models.signals import post_save
    from wagtail.signals import page_published, published
    from wagtail_localize.models import TranslationLog

    post_save.connect(_on_translation_written, sender=TranslationLog, dispatch_uid="localization_coverage")
    page_published.connect(_on_page_published, dispatch_uid="localization_provenance_page")
    published.connect(_on_snippet_published, dispatch_uid="localization_provenance_snippet")


def partial_publication_allowed(language_code):
    return language_code in getattr(settings, "BOOK_PARTIAL_PUBLICATION_LANGUAGES", ())


class IncompleteTranslation(Exception):
    """A translation with untranslated segments, in a language where it may not be published."""

    def __init__(self, title, missing, total):
        self.title, self.missing, self.total = title, missing, total
        super().__init__(self.message)

    @property
    def message(self):
        return ngettext(
            "'%(item)s' is not fully translated: %(missing)d of its %(total)d segments is still "
            "untranslated. Translate it before it goes to review or publication.",
            "'%(item)s' is not fully translated: %(missing)d of its %(total)d segments are still "
            "untranslated. Translate them before it goes to review or publication.",
            self.missing,
        ) % {"item": self.title, "missing": self.missing, "total": self.total}


def title_of(instance):
    if hasattr(instance, "get_admin_display_title"):
        return instance.get_admin_display_title()
    return str(instance)


def check_publishable(translation, instance=None):
    """Raise ``IncompleteTranslation`` if the translation, as it stands, may not be published.

    Returns its coverage otherwise (possibly incomplete, where partial publication is allowed).
    """
    found = coverage(translation.source, translation.target_locale)
    if not found.complete and not partial_publication_allowed(translation.target_locale.language_code):
        instance = instance if instance is not None else translation.get_target_instance()
        raise IncompleteTranslation(title_of(instance), found.missing, found.total)
    return found


def revision_coverage(revision):
    """The coverage recorded for a revision, or None for one not written by the translation tools."""
    return TranslationCoverage.objects.filter(revision=revision).first()


def check_revision_publishable(revision, instance):
    """Raise ``IncompleteTranslation`` if the revision holds a translation that may not be published."""
    recorded = revision_coverage(revision) if revision is not None else None
    if recorded is None or recorded.complete:
        return recorded
    if not partial_publication_allowed(instance.locale.language_code):
        raise IncompleteTranslation(
            title_of(instance), recorded.untranslated_segments, recorded.total_segments
        )
    return recorded


def enabled_translation(instance):
    """The enabled wagtail-localize translation writing into ``instance``, or None."""
    if getattr(instance, "locale_id", None) is None or not hasattr(instance, "translation_key"):
        return None
    return (
        Translation.objects.filter(
            source__object_id=instance.translation_key,
            target_locale_id=instance.locale_id,
            enabled=True,
        )
        .exclude(source__locale_id=instance.locale_id)
        .select_related("source", "target_locale")
        .first()
    )


# Review lock ------------------------------------------------------------------


def _base_model(instance_or_model):
    model = instance_or_model if isinstance(instance_or_model, type) else type(instance_or_model)
    return Page if issubclass(model, Page) else model


def review_of(instance):
    """The review ``instance`` awaits (an in-progress workflow state), or None."""
    return (
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(_base_model(instance)),
            object_id=str(instance.pk),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        .select_related("workflow")
        .first()
    )


def reviews_of(translations):
    """{translation pk: the in-progress workflow state of its target}, for those under review."""
    by_model = {}
    for translation in translations:
        model = _base_model(translation.source.specific_content_type.model_class())
        by_model.setdefault(model, []).append(translation)
    result = {}
    for model, group in by_model.items():
        targets = {
            (key, locale_id): pk
            for pk, key, locale_id in model.objects.filter(
                translation_key__in={translation.source.object_id for translation in group},
                locale_id__in={translation.target_locale_id for translation in group},
            ).values_list("pk", "translation_key", "locale_id")
        }
        wanted = {
            str(targets[key]): translation.pk
            for translation in group
            if (key := (translation.source.object_id, translation.target_locale_id)) in targets
        }
        if not wanted:
            continue
        states = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(wanted),
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).select_related("workflow")
        for state in states:
            result[wanted[state.object_id]] = state
    return result


def under_review_message(title, state):
    return _(
        "'%(item)s' is awaiting review (%(review)s, submitted on %(date)s): its translation cannot "
        "change until the reviewers approve it or request changes."
    ) % {
        "item": title,
        "review": state.workflow.name,
        "date": state.created_at.date().isoformat(),
    }
