"""The admin's account page, where a staff member sets their name, language and password.

Wagtail's name form requires a last name, which many staff accounts (the demo
translators among them) do not have and some people do not use: the whole
page then refuses to save, and the only sign is a count on the "Profile" tab,
even for someone who came to change their interface language. Here the last
name is optional; the first name and the e-mail address stay required.
"""

from django import forms
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import AccountView, NameEmailSettingsPanel


class NameForm(NameEmailForm):
    # Wagtail's own label, which its catalogs translate.
    last_name = forms.CharField(required=False, label=NameEmailForm.base_fields["last_name"].label)


class NameSettingsPanel(NameEmailSettingsPanel):
    form_class = NameForm


class BookAccountView(AccountView):
    def get_panels(self):
        return [
            NameSettingsPanel(panel.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]


account_view = never_cache(require_admin_access(BookAccountView.as_view()))
