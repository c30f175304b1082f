from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalizationConfig(AppConfig):
    name = "cms.localization"
    label = "localization"
    verbose_name = _("Localization")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import coverage, editor, emails, totals

        editor.connect()
        emails.connect_signals()
        coverage.connect_signals()
        totals.connect_signals()
