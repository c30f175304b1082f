"""The review workflow of the snippets a language translates (cities and sectors), whose task is this app's."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

from book import kinds
from cms.labels import COLLECTIONS_REVIEW_TASK, COLLECTIONS_REVIEW_WORKFLOW
from cms.roles import WorkflowResult, review_workflow, stored_name

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
    workflow = review_workflow(COLLECTIONS_REVIEW_WORKFLOW)
    created = task_created = False
    if workflow is None:
        task_name, task_names = stored_name(COLLECTIONS_REVIEW_TASK)
        task = LanguageReviewTask.objects.filter(name__in=task_names).order_by("pk").first()
        if task is None:
            task = LanguageReviewTask.objects.create(name=task_name)
            task_created = True
        workflow = Workflow.objects.create(name=stored_name(COLLECTIONS_REVIEW_WORKFLOW)[0], active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        created = True

    result = WorkflowResult(workflow=workflow, created=created, task_created=task_created)
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
