from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Editorial workflow")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import i18n, labels, links, permissions, signals
        from .private_files import narrow_sqlite_file

        i18n.fall_back_to_english()
        labels.install()
        links.install()
        signals.connect()
        permissions.use_book_page_permissions()
        connection_created.connect(narrow_sqlite_file, dispatch_uid="cms-narrow-sqlite-file")
