"""How staff meet the book in the admin: its small collections, and the limits of each language's team."""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, include, path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.models import Page
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_localize.models import Translation

from book import kinds
from book.models import City, Sector
from cms import concurrency, machine_translation, reader_preview, translation_credits, views
from cms.labels import WORKFLOW_LOG_ACTIONS, with_names_in_readers_language
from cms.localization import views as localization_views
from cms.localization.coverage import (
    IncompleteTranslation,
    check_publishable,
    check_revision_publishable,
    enabled_translation,
    review_of,
    title_of,
    under_review_message,
)
from cms.overrides import checked_override, checked_segment
from cms.permissions import LocaleConfinedPermissionPolicy, can
from cms.review import check_translation
from cms.security_admin import FailedSignInViewSet, LockoutViewSet
from cms.translation_editor import may_stop_sync


class AdminTimeDisplay(BaseFieldDisplay):
    """A date and time in an inspect view, shown in the time zone of the rest of the admin.

    Wagtail's listings and templates show a date and time in the current time zone: the one chosen
    in the account's settings, else the site's (``TIME_ZONE``). Its inspect view writes a field's
    value through ``localize`` alone, which formats it in the zone it was read in, UTC: a delivery
    listed at 2:06 p.m. showed 5:06 a.m. once opened. Converted first, it reads as listed.
    """

    def render_html(self, parent_context=None):
        value = self.value
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return conditional_escape(formats.localize(value))


register_display_class(models.DateTimeField, display_class=AdminTimeDisplay)

# Registered before the viewsets below, which would otherwise fall back to
# Wagtail's model-wide policy: snippet permissions know nothing of languages.
for _model in kinds.snippet_models():
    register_permission_policy(_model, LocaleConfinedPermissionPolicy(_model), exact_class=True)


def is_locale_confined(model):
    return isinstance(policy_registry.get_by_type(model, fallback=False), LocaleConfinedPermissionPolicy)


class ConfinedToLanguage:
    """A snippet view of one object, refused (GET and POST) to those who may not ``action`` its language."""

    confined_action = None

    def dispatch(self, request, *args, **kwargs):
        if _refused(request, self.object, self.confined_action):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ConfinedUnpublishView(ConfinedToLanguage, snippet_views.UnpublishView):
    confined_action = "publish"


class ConfinedUnscheduleView(ConfinedToLanguage, snippet_views.RevisionsUnscheduleView):
    confined_action = "publish"


class EditSnippetView(concurrency.EditSnippetView):
    """The editor of a city or a sector, whose menu leads editors to its translation credits."""

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *translation_credits_buttons(self.object, self.request.user)]


class LanguageConfinedSnippetViewSet(SnippetViewSet):
    """Cities and sectors: besides editing and deleting (hooks below), unpublishing and
    cancelling a scheduled publication are for the reviewers of their language."""

    unpublish_view_class = ConfinedUnpublishView
    revisions_unschedule_view_class = ConfinedUnscheduleView
    edit_view_class = EditSnippetView


class CityViewSet(LanguageConfinedSnippetViewSet):
    model = City
    icon = "site"
    menu_label = _("Cities")
    list_display = ["name", "country", "creative_field", "locale"]
    list_filter = ["creative_field", "locale"]
    search_fields = ["name", "country"]


class SectorViewSet(LanguageConfinedSnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


class CollectionsViewSetGroup(SnippetViewSetGroup):
    items = (CityViewSet, SectorViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Cities and sectors")
    menu_name = "book-collections"


register_snippet(CollectionsViewSetGroup)


# After Wagtail's own viewset for every page type (order -1), which it replaces.
@hooks.register("register_admin_viewset")
def register_page_viewset():
    return concurrency.PageEditingViewSet()


def _refused(request, instance, action):
    policy = policy_registry.get_by_type(type(instance), fallback=False)
    return isinstance(policy, LocaleConfinedPermissionPolicy) and not policy.user_has_permission_for_instance(
        request.user, action, instance
    )


def _publishing(request):
    # "action-publish" is the snippet editor's publish button, action=publish the translation editor's.
    return request.method == "POST" and (
        "action-publish" in request.POST or request.POST.get("action") == "publish"
    )


# Before wagtail-localize's hook (order 0), which replaces the edit view of a
# translated snippet by its translation editor without checking the language.
@hooks.register("before_edit_snippet", order=-10)
def confine_snippet_editing(request, instance):
    if _refused(request, instance, "change") or (
        _publishing(request) and _refused(request, instance, "publish")
    ):
        return permission_denied(request)
    return None


def refuse_incomplete_publication(request, instance):
    """An editor's Publish, or an approval from the editor, of a translation not complete enough to publish.

    Pages and snippets translated with wagtail-localize are edited in its
    translation editor, whose Publish writes the translation as it stands:
    refused, with the count of untranslated segments, unless partial
    publication is allowed in the language (see ``cms.localization.coverage``).
    """
    if request.method != "POST":
        return None
    approving = bool(request.POST.get("action-workflow-action")) and (
        request.POST.get("workflow-action-name") == "approve"
    )
    if not (_publishing(request) or approving):
        return None
    try:
        if approving:
            task_state = instance.current_workflow_task_state
            if task_state is not None:
                check_revision_publishable(task_state.revision, instance)
        else:
            translation = enabled_translation(instance)
            if translation is not None:
                check_publishable(translation, instance)
    except IncompleteTranslation as incomplete:
        messages.error(request, incomplete.message)
        return redirect(request.get_full_path())
    return None


@hooks.register("before_edit_page", order=-10)
def refuse_incomplete_page_publication(request, page):
    return refuse_incomplete_publication(request, page.specific)


@hooks.register("before_edit_snippet", order=-9)
def refuse_incomplete_snippet_publication(request, instance):
    return refuse_incomplete_publication(request, instance)


@hooks.register("before_delete_snippet", order=-10)
def confine_snippet_deletion(request, instances):
    if any(_refused(request, instance, "delete") for instance in instances):
        return permission_denied(request)
    return None


@hooks.register("before_unpublish", order=-10)
def confine_snippet_unpublishing(request, instance):
    if _refused(request, instance, "publish"):
        return permission_denied(request)
    return None


def confined_to_target_language(view):
    """Refuse a wagtail-localize segment, PO or preview endpoint of a snippet to those who may not edit its language.

    wagtail-localize checks these against the snippet's model permission
    only, which would let a translator of one language edit another's cities.
    Pages need nothing more: their tree permissions are checked already.
    """

    @wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        translation = get_object_or_404(
            Translation.objects.select_related("target_locale", "source__specific_content_type"),
            pk=translation_id,
        )
        model = translation.source.specific_content_type.model_class()
        if is_locale_confined(model) and not can(
            request.user, "edit", translation.target_locale.language_code
        ):
            raise PermissionDenied
        return view(request, translation_id, *args, **kwargs)

    return guarded


# The translation editor's PO download and upload, replaced by the queue's own: its
# upload would apply any file polib can half read, of any size, without the stale-source,
# conflict or markup checks, and outside a transaction.
REPLACED_TRANSLATION_ENDPOINTS = {
    "download_pofile": localization_views.translation_po_download,
    "upload_pofile": localization_views.translation_po_upload,
}


# Resolved before wagtail-localize's own routes (order 0), on the same paths,
# so that every endpoint it has for one translation goes through the guard.
@hooks.register("register_admin_urls", order=-10)
def register_guarded_translation_endpoints():
    from wagtail_localize.wagtail_hooks import register_admin_urls as localize_admin_urls

    patterns = [
        pattern
        for localize in localize_admin_urls()
        for pattern in localize.url_patterns
        if isinstance(pattern, URLPattern)
    ]
    guarded = [
        URLPattern(
            pattern.pattern,
            guarded_translation_endpoint(pattern),
            pattern.default_args,
            pattern.name,
        )
        for pattern in patterns
        if "translation_id" in pattern.pattern.converters
    ]
    guarded += [
        URLPattern(pattern.pattern, publishers_only(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
        if pattern.name == "convert_to_alias"
    ]
    return [path("localize/", include((guarded, "cms_localize_guard")))]


# wagtail-localize's endpoints that change a translation's segments: a segment saved or
# cleared, an override, a PO file uploaded in the editor, a machine translation.
def guarded_translation_endpoint(pattern):
    """wagtail-localize's view for one translation, or the project's, behind the project's checks."""
    view = REPLACED_TRANSLATION_ENDPOINTS.get(pattern.name, pattern.callback)
    if pattern.name == "edit_override":
        # An override is checked like the field it overrides (cms.overrides).
        view = checked_override(view)
    if pattern.name == "edit_string_translation":
        view = checked_segment(view)
    if pattern.name in CHANGES_TRANSLATION:
        view = frozen_under_review(view)
    if pattern.name == "stop_translation":
        view = views.confirmed_stop_by_editors(view)
    if pattern.name == "machine_translate":
        view = machine_translation.failures_reported(view)
    return confined_to_target_language(view)


CHANGES_TRANSLATION = {"edit_string_translation", "edit_override", "upload_pofile", "machine_translate"}


def frozen_under_review(view):
    """Refuse changes to a translation whose item awaits review, naming the review.

    The reviewers approve the revision submitted to them: work saved meanwhile
    would be left out of what they publish, and the queue would show the live
    item as unfinished. The translator waits for the approval, or for the
    reviewers to request changes, which gives the work back.
    """

    @wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return view(request, translation_id, *args, **kwargs)
        translation = get_object_or_404(Translation, pk=translation_id)
        try:
            instance = translation.get_target_instance()
        except ObjectDoesNotExist:
            # Not written into its page or snippet yet: nothing of it can be under review.
            instance = None
        state = review_of(instance) if instance is not None else None
        if state is None:
            return view(request, translation_id, *args, **kwargs)
        message = under_review_message(title_of(instance), state)
        if request.method != "POST" or request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"error": message}, status=409)
        messages.error(request, message)
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect(AdminURLFinder(request.user).get_edit_url(instance) or "wagtailadmin_home")

    return guarded


def publishers_only(view):
    """Converting a translation to an alias of its source is for those who may publish the page.

    It throws the translation away and makes the page follow its source, live
    when the source is live: a publication in the page's language, which
    wagtail-localize allows to anyone who may edit the page, translators included.
    """

    @wraps(view)
    def guarded(request, page_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_id)
        if not page.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        return view(request, page_id, *args, **kwargs)

    return guarded


@hooks.register("construct_page_action_menu")
def hide_convert_to_alias_from_non_publishers(menu_items, request, context):
    page = context.get("page")
    if page is not None and page.pk and not page.permissions_for_user(request.user).can_publish():
        menu_items[:] = [item for item in menu_items if item.name != "localize-convert-to-alias"]


RESTART_SYNC = "localize-restart-translation"


def refuse_restarting_sync(request):
    """Restarting a stopped synced translation is, like stopping it, an editor's decision.

    wagtail-localize restarts it from the editor's "Start Synced translation"
    for anyone who may edit the item: the item's own edits would then give way
    to its source's, which decides how the book is translated.
    """
    if request.method == "POST" and RESTART_SYNC in request.POST and not may_stop_sync(request.user):
        return permission_denied(request)
    return None


# Before wagtail-localize's hooks (order 0), which restart it.
@hooks.register("before_edit_page", order=-10)
def refuse_restarting_page_sync(request, page):
    return refuse_restarting_sync(request)


@hooks.register("before_edit_snippet", order=-10)
def refuse_restarting_snippet_sync(request, instance):
    return refuse_restarting_sync(request)


@hooks.register("construct_page_action_menu")
def hide_restart_sync_from_non_editors(menu_items, request, context):
    if not may_stop_sync(request.user):
        menu_items[:] = [item for item in menu_items if item.name != RESTART_SYNC]


@hooks.register("construct_snippet_action_menu")
def hide_snippet_restart_sync_from_non_editors(menu_items, request, context):
    if not may_stop_sync(request.user):
        menu_items[:] = [item for item in menu_items if item.name != RESTART_SYNC]


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path(
            "translations/<int:translation_id>/submit-for-review/",
            views.submit_translation_for_review_view,
            name="cms_submit_translation_for_review",
        ),
        path("reader-preview/<int:page_id>/", reader_preview.reader_preview, name="book_reader_preview"),
        path(
            "translation-credits/<int:page_id>/",
            translation_credits.translation_credits,
            name="cms_translation_credits",
        ),
        path(
            "translation-credits/<slug:kind>/<int:pk>/",
            translation_credits.snippet_translation_credits,
            name="cms_snippet_translation_credits",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_lockout_viewset():
    return LockoutViewSet()


@hooks.register("register_admin_viewset")
def register_failed_sign_in_viewset():
    return FailedSignInViewSet()


# Before wagtail-localize's hook (order 0), which publishes the translation from its editor.
@hooks.register("before_edit_page", order=-10)
def check_translation_before_publishing(request, page):
    """A translation published from its editor passes the checks of submission for review first."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    if translation is None:
        return None
    try:
        check_translation(translation)
    except ValidationError as error:
        messages.error(
            request,
            gettext("'%(page)s' was not published: %(errors)s")
            % {"page": page.get_admin_display_title(), "errors": "; ".join(error.messages)},
        )
        return redirect(request.get_full_path())
    return None


@hooks.register("register_admin_urls")
def register_manuscript_urls():
    from cms.manuscripts import views as manuscript_views

    return [
        path(
            "manuscripts/<int:page_id>/import/",
            manuscript_views.import_manuscript,
            name="cms_import_manuscript",
        )
    ]


@hooks.register("register_page_header_buttons")
def manuscript_import_button(page, user, view_name, next_url=None):
    from wagtail.admin.widgets import Button

    from book.models import ChapterPage

    if (
        view_name == "edit"
        and page.specific_class is ChapterPage
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            gettext("Import a manuscript"),
            reverse("cms_import_manuscript", args=[page.id]),
            icon_name="upload",
            priority=55,
        )


@hooks.register("register_log_actions", order=1)
def name_workflows_in_the_readers_language(actions):
    """Page histories name the book's workflows and tasks in the reader's language, as the dashboard does.

    Runs after Wagtail's own registrations (order 0), whose formatters it wraps.
    """
    for action in WORKFLOW_LOG_ACTIONS:
        if action in actions.formatters:
            actions.formatters[action] = with_names_in_readers_language(actions.formatters[action])


def translation_credits_buttons(item, user):
    from wagtail.admin.widgets import Button

    if translation_credits.may_credit(user, item):
        yield Button(
            gettext("Translation credits"),
            translation_credits.credits_url(item),
            icon_name="group",
            priority=60,
        )


# The translation editor, which replaces the edit view of a synced translation, has no header
# buttons: the explorer's listing offers the credits of every translated page too.
@hooks.register("register_page_header_buttons")
def translation_credits_header_button(page, user, view_name, next_url=None):
    if view_name == "edit":
        yield from translation_credits_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def translation_credits_listing_button(page, user, next_url=None):
    yield from translation_credits_buttons(page, user)


@hooks.register("register_snippet_listing_buttons")
def translation_credits_snippet_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, kinds.snippet_models()):
        yield from translation_credits_buttons(snippet, user)
