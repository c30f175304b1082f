"""Translations reach publication through their language's review workflow.

wagtail-localize's translation editor saves each segment as the translator
types, but writes the translated page or snippet only when someone publishes,
which translators may not. Submitting for review writes the translation into
its object as a draft revision (a live object keeps serving its live content)
and hands that revision to the review workflow governing it: the "Translation
review" of the page's language, or the review of cities and sectors, whose
approval publishes it. What would be written is checked first: an address
that the source's blocks would refuse stops the submission.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowMixin, WorkflowState
from wagtail.permissions import policy_registry

from book.blocks import address_problems
from cms.localization.coverage import check_publishable
from cms.permissions import can


class NoReviewWorkflow(Exception):
    """The object's language has no active review workflow to submit to."""


def reviewable(instance):
    """Whether a translated object goes through a review workflow: pages, and snippets that have workflows."""
    return isinstance(instance, (Page, WorkflowMixin))


def may_edit(user, instance):
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_edit()
    return policy_registry.get_by_type(type(instance)).user_has_permission_for_instance(
        user, "change", instance
    )


def may_submit_for_review(user, translation, instance):
    return (
        reviewable(instance)
        and may_edit(user, instance)
        and can(user, "submit", translation.target_locale.language_code)
    )


def _reload(instance):
    if isinstance(instance, Page):
        return Page.objects.get(pk=instance.pk).specific
    return type(instance)._default_manager.get(pk=instance.pk)


@transaction.atomic
def submit_translation_for_review(translation, user):
    """Write the translated object as a draft and submit it to its review; returns the workflow state.

    Raises PermissionDenied if the user may not submit work in that language,
    NoReviewWorkflow if the object is governed by no active workflow,
    IncompleteTranslation if segments are untranslated in a language that does
    not allow partial publication, and ValidationError if the translation
    cannot be written into the object.
    """
    instance = translation.get_target_instance()
    if not reviewable(instance):
        raise NoReviewWorkflow(instance)
    if not may_submit_for_review(user, translation, instance):
        raise PermissionDenied
    workflow = instance.get_workflow()
    if workflow is None or not workflow.active:
        raise NoReviewWorkflow(instance)
    check_publishable(translation, instance)
    check_translation(translation)

    live_revision = instance.live_revision if instance.live else None
    translation.save_target(user=user, publish=False)
    instance = _reload(instance)
    if live_revision is not None:
        instance = keep_live_content(instance, live_revision)

    state = instance.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return instance.current_workflow_state
    if state is not None:
        # Reviewers must see what was just submitted, not the revision an
        # earlier submission left under review.
        state.cancel(user=user)
    return workflow.start(instance, user)


def check_translation(translation):
    """Refuse, before anything is written, a translation whose overrides the source's checks would refuse.

    wagtail-localize writes overrides (link and embed addresses) as they were
    typed; the translation is built in memory first and every address it holds
    is checked against the book's allow-list and the embed providers, as the
    source's blocks are. Raises ValidationError naming each place and problem.
    """
    instance = translation.source.get_ephemeral_translated_instance(translation.target_locale, fallback=True)
    problems = address_problems(instance)
    if problems:
        raise ValidationError(
            [
                _("%(place)s: %(problem)s") % {"place": place, "problem": " ".join(problem.messages)}
                for place, problem in problems
            ]
        )


def keep_live_content(instance, live_revision):
    """Put the live revision's content back into a live object that wagtail-localize wrote the draft into.

    ``save_target(publish=False)`` saves the translation into the object's own
    row before making the draft revision; for an object already live, that row
    is what readers are served, so the unreviewed text would reach them at once
    (and a snippet's row is even marked not live). The row gets its live content
    back, and the draft stays the latest revision, which the reviewers' approval
    publishes.
    """
    live = live_revision.as_object()
    live.live = True
    live.has_unpublished_changes = True
    if isinstance(live, Page):
        live.save(clean=False)
    else:
        live.save()
    return _reload(instance)
