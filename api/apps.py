from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Public API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import access, cdn, search, signals

        signals.connect()
        access.connect()
        cdn.connect()
        post_migrate.connect(search.store_configs_after_migrate, sender=self)
