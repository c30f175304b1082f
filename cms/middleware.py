"""Checks of admin requests that Wagtail's views give no hook for.

A form posted without one of its fields is bad input, answered with 400, not a server error
(``IncompleteFormMiddleware``); an approval that would publish an incomplete translation is
refused (``IncompleteTranslationApprovalMiddleware``).

Wagtail's StreamField and formset widgets read their management fields
(``body-count``, ``…-TOTAL_FORMS``) with ``data[key]``: a post that lacks one,
from a broken client or a hand-made request, raised ``MultiValueDictKeyError``
and so a 500. Nothing has been saved when it is raised, since forms are read
before anything is written.
"""

import logging

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class IncompleteFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, MultiValueDictKeyError):
            return None
        field = exception.args[0] if exception.args else ""
        logger.warning("Incomplete form posted to %s: no field %r.", request.path, field)
        return HttpResponseBadRequest(
            _("The form sent is incomplete: the field “%(field)s” is missing. Reload the page and try again.")
            % {"field": field},
            content_type="text/plain; charset=utf-8",
        )


class IncompleteTranslationApprovalMiddleware:
    """The reviewers' Approve of an incomplete translation is refused, from every list and dashboard.

    Wagtail's workflow action views (``.../workflow/action/<id>/approve/<task state>/``,
    for pages and for each snippet model) publish what the task holds with no
    hook before it; this checks the revision under review first, as an
    editor's Publish is checked (``cms.wagtail_hooks``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method != "POST"
            or match is None
            or match.url_name != "workflow_action"
            or view_kwargs.get("action_name") != "approve"
        ):
            return None
        from wagtail.models import TaskState

        from cms.localization.coverage import IncompleteTranslation, check_revision_publishable

        task_state = (
            TaskState.objects.filter(pk=view_kwargs.get("task_state_id"))
            .select_related("revision", "workflow_state")
            .first()
        )
        if task_state is None or task_state.revision is None or not request.user.is_authenticated:
            return None
        instance = task_state.revision.content_object
        actions = task_state.task.specific.get_actions(instance, request.user)
        if not any(name == "approve" for name, *_rest in actions):
            # Not theirs to approve: the view refuses it in its own way.
            return None
        # In the reviewer's admin language, as Wagtail's views speak to them (they have not run yet).
        with translation.override(admin_language(request.user)):
            try:
                check_revision_publishable(task_state.revision, instance)
            except IncompleteTranslation as incomplete:
                messages.error(request, incomplete.message)
                return _back(request)
        return None


def admin_language(user):
    """The language the admin speaks to ``user`` in: their preference, else the request's."""
    profile = getattr(user, "wagtail_userprofile", None)
    return (profile and profile.get_preferred_language()) or translation.get_language()


def _back(request):
    from wagtail.admin.modal_workflow import render_modal_workflow

    target = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("wagtailadmin_home")
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return render_modal_workflow(request, "", None, {}, json_data={"step": "success", "redirect": target})
    return redirect(target)
