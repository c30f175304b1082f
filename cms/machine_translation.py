"""Machine translation in wagtail-localize's editor, through DeepL when the environment gives a key.

``DEEPL_API_KEY`` switches the editor's "Translate with machine" button on;
``DEEPL_API_URL`` points it at another server speaking DeepL's API (a proxy,
DeepL's free endpoint, or a stand-in in tests). Segments filled this way are
marked as machine translations by wagtail-localize until a person edits them,
and the API says so of what is published (``machine_assisted``).
"""

from wagtail_localize.machine_translators.deepl import DeepLTranslator


class ConfigurableDeepLTranslator(DeepLTranslator):
    """wagtail-localize's DeepL translator, at the address the settings give if any."""

    def get_api_endpoint(self):
        base = self.options.get("API_URL", "")
        if not base:
            return super().get_api_endpoint()
        return f"{base.rstrip('/')}/v2/translate"
