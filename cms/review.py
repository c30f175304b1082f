"""Translations reach publication through their language's review workflow.

wagtail-localize's translation editor saves each segment as the translator
types, but writes the translated page only when someone publishes, which
translators may not. Submitting for review writes the translation into its
page as a draft revision (a live page keeps serving its live content) and
hands that revision to the "Translation review" of the page's language, whose
approval publishes it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import Page, WorkflowState

from cms.permissions import can


class NoReviewWorkflow(Exception):
    """The page's language has no active review workflow to submit to."""


def may_submit_for_review(user, translation, page):
    return page.permissions_for_user(user).can_edit() and can(
        user, "submit", translation.target_locale.language_code
    )


@transaction.atomic
def submit_translation_for_review(translation, user):
    """Write the translated page as a draft and submit it to its language's review; returns the workflow state.

    Raises PermissionDenied if the user may not submit work in that language,
    NoReviewWorkflow if the page is governed by no active workflow, and
    ValidationError if the translation cannot be written into the page.
    """
    page = translation.get_target_instance()
    if not isinstance(page, Page):
        raise TypeError("Only pages go through a review workflow.")
    if not may_submit_for_review(user, translation, page):
        raise PermissionDenied
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        raise NoReviewWorkflow(page)

    live_revision = page.live_revision if page.live else None
    translation.save_target(user=user, publish=False)
    page = Page.objects.get(pk=page.pk).specific
    if live_revision is not None:
        page = keep_live_content(page, live_revision)

    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return page.current_workflow_state
    if state is not None:
        # Reviewers must see what was just submitted, not the revision an
        # earlier submission left under review.
        state.cancel(user=user)
    return workflow.start(page, user)


def keep_live_content(page, live_revision):
    """Put the live revision's content back into a live page that wagtail-localize wrote the draft into.

    ``save_target(publish=False)`` saves the translation into the page's own row
    before making the draft revision; for a page already live, that row is
    what readers are served, so the unreviewed text would reach them at once.
    The row gets its live content back, and the draft stays the latest revision,
    which the reviewers' approval publishes.
    """
    live = live_revision.as_object()
    live.has_unpublished_changes = True
    live.save(clean=False)
    return Page.objects.get(pk=page.pk).specific
