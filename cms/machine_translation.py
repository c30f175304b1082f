"""Machine translation in wagtail-localize's editor, through DeepL when the environment gives a key.

``DEEPL_API_KEY`` switches the editor's "Translate with machine" button on;
``DEEPL_API_URL`` points it at another server speaking DeepL's API (a proxy,
DeepL's free endpoint, or a stand-in in tests). Segments filled this way are
marked as machine translations by wagtail-localize until a person edits them,
and the API says so of what is published (``machine_assisted``).
"""

from functools import wraps

import requests
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail_localize.machine_translators.deepl import DeepLTranslator


class MachineTranslationFailed(Exception):
    """The provider could not translate: unreachable, refusing the key, or answering something else."""


class ConfigurableDeepLTranslator(DeepLTranslator):
    """wagtail-localize's DeepL translator, at the address the settings give if any."""

    def get_api_endpoint(self):
        base = self.options.get("API_URL", "")
        if not base:
            return super().get_api_endpoint()
        return f"{base.rstrip('/')}/v2/translate"

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        try:
            translations = super().translate(source_locale, target_locale, strings)
        except (requests.RequestException, ValueError, KeyError, TypeError) as error:
            raise MachineTranslationFailed(str(error)) from error
        return translations


def failures_reported(view):
    """wagtail-localize's machine translation view, telling the translator when the provider fails.

    Nothing is written then: the segments are written only from a complete answer.
    """

    @wraps(view)
    def reported(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MachineTranslationFailed:
            messages.error(
                request,
                _("The machine translation service could not translate this item now; try again later."),
            )
            return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")

    return reported
