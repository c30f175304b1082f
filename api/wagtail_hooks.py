"""API sites in the admin, under Settings: the sites that read the book, their keys and their usage."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from . import sites_admin
from .models import ApiSite


class ApiSiteViewSet(ModelViewSet):
    model = ApiSite
    name = "api_site"
    icon = "site"
    menu_label = _("API sites")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",
        "city",
        "contact",
        Column("quota", label=_("Quota (requests per minute)")),
        "created_at",
    ]
    search_fields = ["name", "city", "contact"]
    form_fields = ["name", "city", "contact", "quota"]
    add_view_class = sites_admin.ApiSiteCreateView
    inspect_view_class = sites_admin.ApiSiteInspectView

    def get_form_class(self, for_update=False):
        return sites_admin.ApiSiteForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("usage/", sites_admin.UsageReportView.as_view(), name="usage"),
            path("<int:pk>/keys/new/", sites_admin.new_key_view, name="new_key"),
            path("keys/<int:pk>/revoke/", sites_admin.revoke_key_view, name="revoke_key"),
        ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ApiSiteViewSet()


class UsageMenuItem(MenuItem):
    def is_shown(self, request):
        return sites_admin.can(request.user, "view")


@hooks.register("register_settings_menu_item")
def register_usage_menu_item():
    return UsageMenuItem(_("API usage"), reverse("api_site:usage"), icon_name="view", order=1001)
