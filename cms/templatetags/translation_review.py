from django import template
from wagtail.models import WorkflowState

from cms.review import may_submit_for_review

register = template.Library()


@register.inclusion_tag("cms/translation_review_form.html", takes_context=True)
def translation_review_form(context):
    """The "Submit for review" form of the translation editor, for those who may submit."""
    translation, instance, request = context["translation"], context["instance"], context["request"]
    shown = may_submit_for_review(request.user, translation, instance)
    state = instance.current_workflow_state if shown else None
    return {
        "shown": shown,
        "translation": translation,
        "awaiting_review": state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
