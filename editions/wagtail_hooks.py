"""The editions in the admin: the Editions screen, its menu item and the dashboard panel of what needs a build."""

from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from book.models import Edition

from . import urls
from .builds import public_books
from .views import VIEW, state_label


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("editions/", include(urls, namespace="editions"))]


class EditionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_menu_item")
def register_editions_menu_item():
    return EditionsMenuItem(
        _("Editions"), reverse("editions:index"), name="editions", icon_name="doc-full", order=260
    )


class EditionsNeedingAttentionPanel(Component):
    """The editions that are outdated or failed, so that editors see what readers are not getting."""

    name = "editions_attention"
    template_name = "editions/dashboard_panel.html"
    order = 160

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        titles = {(book.translation_key, book.locale_id): book.title for book in public_books()}
        editions = (
            Edition.objects.filter(Q(state=Edition.State.OUTDATED) | Q(state=Edition.State.FAILED))
            .select_related("locale")
            .order_by("locale__language_code", "format")
        )
        context["editions"] = [
            {
                "title": titles[(edition.book_key, edition.locale_id)],
                "language": edition.locale.get_display_name(),
                "format": edition.format.upper(),
                "state": state_label(edition),
                "failed": edition.state == Edition.State.FAILED,
            }
            for edition in editions
            if (edition.book_key, edition.locale_id) in titles
        ]
        context["index_url"] = reverse("editions:index")
        return context


@hooks.register("construct_homepage_panels")
def add_editions_panel(request, panels):
    if request.user.has_perm(VIEW):
        panels.append(EditionsNeedingAttentionPanel())
