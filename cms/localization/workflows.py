"""The review workflow of the snippets a language translates (cities and sectors), whose task is this app's."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import WorkflowContentType

from book import kinds
from cms.labels import COLLECTIONS_REVIEW_TASK, COLLECTIONS_REVIEW_WORKFLOW
from cms.roles import ensure_one_step_workflow

from .models import LanguageReviewTask


@transaction.atomic
def ensure_collections_review_workflow():
    """One "Translation review (cities and sectors)" workflow on the City and Sector models.

    Wagtail assigns a workflow to all the snippets of a model, whatever their
    language, so one workflow serves every language: its single task lets
    the reviewers of each object's language (and the editors) approve it, see
    :class:`cms.localization.models.LanguageReviewTask`. It governs the
    source language too, where editors, who alone maintain cities and
    sectors, may still submit a change to another editor rather than publish
    it. A model that an administrator attached to another workflow by hand
    keeps it; a workflow found is left as it is.
    """
    result = ensure_one_step_workflow(
        COLLECTIONS_REVIEW_WORKFLOW, LanguageReviewTask, COLLECTIONS_REVIEW_TASK
    )
    workflow = result.workflow
    content_types = ContentType.objects.get_for_models(*kinds.snippet_models(), for_concrete_models=False)
    attached = {
        link.content_type_id: link
        for link in WorkflowContentType.objects.filter(
            content_type__in=content_types.values()
        ).select_related("workflow", "content_type")
    }
    for model, content_type in content_types.items():
        label = str(model._meta.verbose_name_plural)
        link = attached.get(content_type.pk)
        if link is None:
            WorkflowContentType.objects.create(content_type=content_type, workflow=workflow)
            result.assigned.append(label)
        elif link.workflow_id == workflow.pk:
            result.already_assigned.append(label)
        else:
            result.kept_other.append(link)
    return result
