from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import outbound
from .models import Event, Subscriber, all_events, new_secret


class SubscriberForm(WagtailAdminModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where each change is sent, by POST, as JSON (http or https)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        initial=all_events,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The changes this subscriber is told of."),
    )
    renew_secret = forms.BooleanField(
        label=_("Generate a new secret"),
        required=False,
        help_text=_("The new secret is shown once, after saving; the subscriber must then use it."),
    )

    class Meta:
        model = Subscriber
        fields = ["name", "url", "active", "events", "batch"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.secret_renewed = False
        if self.instance.pk is None:
            # A new subscriber gets its secret when it is created.
            del self.fields["renew_secret"]

    def clean_url(self):
        """Refused unless its host resolves, and only to public addresses: the server must not probe its own network."""
        url = self.cleaned_data["url"]
        try:
            outbound.check(url)
        except outbound.AddressRefused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from refused
        return url

    def save(self, commit=True):
        if self.cleaned_data.get("renew_secret"):
            self.instance.secret = new_secret()
            self.secret_renewed = True
        return super().save(commit=commit)
