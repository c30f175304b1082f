"""Admin views of the editorial workflow."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import permission_denied
from wagtail_localize.models import Translation

from book.languages import in_text
from cms.localization.coverage import IncompleteTranslation
from cms.review import NoReviewWorkflow, submit_translation_for_review
from cms.translation_editor import may_stop_sync


@require_POST
def submit_translation_for_review_view(request, translation_id):
    translation = get_object_or_404(
        Translation.objects.select_related("target_locale"), pk=translation_id, enabled=True
    )
    try:
        instance = translation.get_target_instance()
    except ObjectDoesNotExist:
        raise Http404(_("This translation has not been written into its page or snippet yet.")) from None
    title = (
        instance.get_admin_display_title() if hasattr(instance, "get_admin_display_title") else str(instance)
    )
    try:
        submit_translation_for_review(translation, request.user)
    except PermissionDenied:
        return permission_denied(request)
    except NoReviewWorkflow:
        messages.error(
            request,
            _(
                "'%(page)s' cannot be submitted: no review workflow governs it. Ask an editor to run setup_roles."
            )
            % {"page": title},
        )
    except IncompleteTranslation as incomplete:
        messages.error(request, incomplete.message)
    except ValidationError as error:
        messages.error(
            request,
            _("'%(page)s' could not be submitted: %(errors)s")
            % {"page": title, "errors": "; ".join(error.messages)},
        )
    else:
        messages.success(
            request,
            _("'%(page)s' was submitted for review in %(language)s.")
            % {
                "page": title,
                "language": in_text(translation.target_locale.get_display_name()),
            },
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(AdminURLFinder(request.user).get_edit_url(instance) or "wagtailadmin_home")


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def confirmed_stop_by_editors(stop_view):
    """wagtail-localize's "Stop synced translation", for editors only and only once they confirm it.

    Its footer button posts straight to the stop: the post (without
    ``confirm``) is answered by the confirmation page instead, which says what
    stopping does; the stop itself happens when that page's form is sent.
    """

    def confirmed(request, translation_id, *args, **kwargs):
        if not may_stop_sync(request.user):
            return permission_denied(request)
        translation = get_object_or_404(
            Translation.objects.select_related("target_locale", "source__locale"), pk=translation_id
        )
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            return stop_view(request, translation_id, *args, **kwargs)
        try:
            instance = translation.get_target_instance()
        except ObjectDoesNotExist:
            raise Http404(_("This translation has not been written into its page or snippet yet.")) from None
        cancel_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        if not cancel_url:
            cancel_url = AdminURLFinder(request.user).get_edit_url(instance) or reverse("wagtailadmin_home")
        title = (
            instance.get_admin_display_title()
            if hasattr(instance, "get_admin_display_title")
            else str(instance)
        )
        return TemplateResponse(
            request,
            "cms/stop_translation_confirm.html",
            {
                "page_title": _("Stop synced translation"),
                "page_subtitle": title,
                "header_icon": "cross",
                "title": title,
                "source_language": in_text(translation.source.locale.get_display_name()),
                "target_language": in_text(translation.target_locale.get_display_name()),
                "stop_url": request.path,
                "next": cancel_url,
                "enabled": translation.enabled,
            },
        )

    return confirmed
