"""Where translators meet their work in the admin: the menu, the URLs and the dashboard panel."""

from django.conf import settings
from django.forms import Media
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.components import Component

from cms.permissions import locale_direction

from . import urls
from .state import DUE_SOON_DAYS, item_states, locale_progress
from .views import language_summaries, viewable_locales


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("localization/", include(urls, namespace="localization"))]


class LocalizationMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(viewable_locales(request.user))


@hooks.register("register_admin_menu_item")
def register_localization_menu_item():
    return LocalizationMenuItem(
        _("Translations"), reverse("localization:grid"), name="localization", icon_name="site", order=250
    )


class TranslationProgressPanel(Component):
    """Each language's progress over the whole book, on the dashboard of whoever works on translations."""

    name = "translation_progress"
    template_name = "localization/dashboard_panel.html"
    order = 150

    def __init__(self, locales, states):
        self.locales = locales
        self.states = states

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        progress = locale_progress(self.states, self.locales)
        context["languages"] = language_summaries(self.locales, progress)
        context["grid_url"] = reverse("localization:grid")
        return context


class TranslationWorkPanel(Component):
    """What the user has to translate, and what is due soon or late in their languages."""

    name = "translation_work"
    template_name = "localization/work_panel.html"
    order = 140
    # Enough for a week's work; the queue has the rest.
    limit = 10

    def __init__(self, user, locales, states):
        self.user = user
        self.locales = locales
        self.states = states

    @property
    def media(self):
        return Media(css={"all": [versioned_static("cms/css/localization.css")]})

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        open_work = [
            state for locale in self.locales for state in self.states[locale.pk] if not state.is_finished
        ]
        mine = sorted(
            (
                state
                for state in open_work
                if state.assignee is not None and state.assignee.pk == self.user.pk
            ),
            key=lambda state: state.sort_key(),
        )
        due_soon = sorted(
            (state for state in open_work if state.is_due_soon), key=lambda state: state.sort_key()
        )
        context.update(
            assigned=mine[: self.limit],
            assigned_more=max(len(mine) - self.limit, 0),
            due_soon=due_soon[: self.limit],
            due_soon_more=max(len(due_soon) - self.limit, 0),
            due_soon_days=DUE_SOON_DAYS,
            mine_url=_queue_of_mine(mine, self.locales),
            source_language=settings.BOOK_SOURCE_LANGUAGE,
            source_direction=locale_direction(settings.BOOK_SOURCE_LANGUAGE),
        )
        return context


def _queue_of_mine(mine, locales):
    """The queue filtered to the user's work, when all of it is in one language."""
    codes = {state.locale.language_code for state in mine} or {locale.language_code for locale in locales}
    if len(codes) != 1:
        return None
    return reverse("localization:queue", args=[codes.pop()]) + "?mine=on"


@hooks.register("construct_homepage_panels")
def add_translation_panels(request, panels):
    locales = viewable_locales(request.user)
    if locales:
        states = item_states(locales, with_words=True)
        panels.append(TranslationWorkPanel(request.user, locales, states))
        panels.append(TranslationProgressPanel(locales, states))
