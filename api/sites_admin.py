"""The admin of API sites (Settings → API sites): their keys, and the usage report of who reads the book."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from . import access, usage
from .models import ApiKey, ApiSite


def can(user, action):
    return policy_registry.get_by_type(ApiSite).user_has_permission(user, action)


class ApiSiteForm(WagtailAdminModelForm):
    class Meta:
        model = ApiSite
        fields = ["name", "city", "contact", "quota"]


class ApiSiteCreateView(generic.CreateView):
    """Creating a site gives it its first key, shown in the message that follows, once."""

    def save_instance(self):
        instance = super().save_instance()
        self.new_key = access.create_key(instance)
        return instance

    def get_success_message(self, instance):
        return _("API site “%(name)s” created. Its key, shown only this once: %(key)s") % {
            "name": instance.name,
            "key": self.new_key,
        }


class ApiSiteInspectView(generic.InspectView):
    template_name = "api/site_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = usage.Report(self.object)
        context.update(
            keys=list(self.object.keys.all()),
            can_change=can(self.request.user, "change"),
            chart=report.chart("site-usage"),
            csv_url=reverse("api_site:usage") + f"?format=csv&site={self.object.pk}",
        )
        return context


@require_POST
def new_key_view(request, pk):
    if not can(request.user, "change"):
        raise PermissionDenied
    site = get_object_or_404(ApiSite, pk=pk)
    key = access.create_key(site)
    messages.success(
        request,
        _("New key for “%(name)s”, shown only this once: %(key)s") % {"name": site.name, "key": key},
    )
    return redirect("api_site:inspect", pk)


@require_POST
def revoke_key_view(request, pk):
    if not can(request.user, "change"):
        raise PermissionDenied
    api_key = get_object_or_404(ApiKey.objects.select_related("site"), pk=pk)
    access.revoke_key(api_key)
    messages.success(
        request,
        _("Key %(key)s of “%(name)s” revoked: requests that send it are refused.")
        % {"key": api_key, "name": api_key.site.name},
    )
    return redirect("api_site:inspect", api_key.site_id)


class UsageReportView(WagtailAdminTemplateMixin, TemplateView):
    """Who reads the book: requests per day and per site over the last 90 days, and the same as CSV."""

    template_name = "api/usage_report.html"
    page_title = gettext_lazy("API usage")
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("api_site:index"), "label": _("API sites")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv(request)
        return super().get(request, *args, **kwargs)

    def csv(self, request):
        site = usage.Report.ALL
        if "site" in request.GET:
            if not request.GET["site"].isdigit():
                raise Http404(_("No such API site."))
            site = get_object_or_404(ApiSite, pk=request.GET["site"])
        report = usage.Report(site)
        name = f"api-usage-{report.since.isoformat()}-{report.until.isoformat()}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(["day", "site", "city", "requests", "not_modified", "throttled"])
        writer.writerows(report.csv_rows())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = usage.Report()
        context.update(
            report=report,
            chart=report.chart("all-usage"),
            sites=report.sites(),
            csv_url=reverse("api_site:usage") + "?format=csv",
        )
        return context
