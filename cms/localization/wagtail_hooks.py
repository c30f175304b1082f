"""Where translators meet their work in the admin: the menu, the URLs and the dashboard panel."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from cms.permissions import locale_direction

from . import urls
from .state import item_states, locale_progress
from .views import viewable_locales


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

    def __init__(self, locales):
        self.locales = locales

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        progress = locale_progress(item_states(self.locales, with_words=True), self.locales)
        context["languages"] = [
            {
                "locale": locale,
                "progress": progress[locale.pk],
                "direction": locale_direction(locale.language_code),
                "queue_url": reverse("localization:queue", args=[locale.language_code]),
            }
            for locale in self.locales
        ]
        context["grid_url"] = reverse("localization:grid")
        return context


@hooks.register("construct_homepage_panels")
def add_translation_progress_panel(request, panels):
    locales = viewable_locales(request.user)
    if locales:
        panels.append(TranslationProgressPanel(locales))
