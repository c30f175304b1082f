from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookConfig(AppConfig):
    name = "book"
    verbose_name = _("Book")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save

        pre_save.connect(_drop_foreign_images, dispatch_uid="book-drop-foreign-images")


def _drop_foreign_images(sender, instance, raw=False, **kwargs):
    """Rich text of the book's own pages and snippets keeps only the book's own images."""
    if raw or sender._meta.app_label != "book":
        return
    from .links import drop_foreign_images

    drop_foreign_images(instance)
