from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookConfig(AppConfig):
    name = "book"
    verbose_name = _("Book")
    default_auto_field = "django.db.models.BigAutoField"
