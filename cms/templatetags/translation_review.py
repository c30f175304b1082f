from django import template
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState

from book.languages import in_text
from cms.localization import editor, reopened
from cms.localization.coverage import coverage, partial_publication_allowed, revision_coverage
from cms.review import may_submit_for_review
from cms.translation_editor import editor_props, may_stop_sync, text_direction

register = template.Library()


@register.inclusion_tag("cms/translation_review_form.html", takes_context=True)
def translation_review_form(context):
    """What the translation editor says of review: how much is left untranslated, and the "Submit for review" form.

    Whoever opens the editor (translator, reviewer, editor) is told how many
    segments are untranslated: of the version under review when there is one,
    which is what an approval would publish.
    """
    translation, instance, request = context["translation"], context["instance"], context["request"]
    shown = may_submit_for_review(request.user, translation, instance)
    state = instance.current_workflow_state if hasattr(instance, "current_workflow_state") else None
    awaiting_review = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    missing = total = 0
    recorded = None
    if awaiting_review and state.current_task_state is not None:
        recorded = revision_coverage(state.current_task_state.revision_id)
    if recorded is not None:
        missing, total = recorded.untranslated_segments, recorded.total_segments
    elif not awaiting_review:
        found = coverage(translation.source, translation.target_locale)
        missing, total = found.missing, found.total
    return {
        "shown": shown,
        "translation": translation,
        "awaiting_review": awaiting_review,
        "review": state.workflow.name if awaiting_review else "",
        "missing": missing,
        "total": total,
        "partial_allowed": partial_publication_allowed(translation.target_locale.language_code),
        "language": translation.target_locale.get_display_name(),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def translation_editor_attributes(context):
    """What the translation editor's container tells its script: the actions offered, and each text's direction."""
    translation, instance, request = context["translation"], context["instance"], context["request"]
    return {
        "props": editor_props(
            reopened.editor_props_json(editor.editor_props(context["props"], instance), translation),
            request.user,
            instance,
        ),
        "source": text_direction(translation.source.locale),
        "target": text_direction(translation.target_locale),
        "stop_sync": may_stop_sync(request.user),
        "labels": field_labels(translation),
    }


def field_labels(translation):
    """Names for the fields the editor draws without a label ({field}: the name of the segment's field)."""
    language = in_text(translation.target_locale.get_display_name())
    return {
        "segment": _("{field}, translation into %(language)s") % {"language": language},
        "segmentUnnamed": _("Translation into %(language)s") % {"language": language},
        "file": _("PO file of this translation, to upload"),
    }
