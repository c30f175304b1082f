"""``manage.py export_locale X out.zip``: a whole language as PO files, for offline translation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from book.progress import ProgressBar
from cms.localization.po import export_locale

from .sync_translations import resolve_locale


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Export every item translated into a language as a zip of PO files with a manifest; "
            "import it back with import_locale."
        )

    def add_arguments(self, parser):
        parser.add_argument("locale", help=_("Language code of the target language, e.g. 'en'."))
        parser.add_argument("path", help=_("The zip file to write."))

    def handle(self, *args, **options):
        locale = resolve_locale(options["locale"])
        path = Path(options["path"])
        if not path.parent.is_dir():
            raise CommandError(_("No such folder: %(folder)s") % {"folder": path.parent})
        if path.is_dir():
            raise CommandError(_("%(path)s is a folder, not a file name.") % {"path": path})
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as handle:
                manifest = export_locale(locale, handle, progress=ProgressBar.factory(self.stderr))
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            self.style.SUCCESS(
                _("Exported %(count)s items of '%(locale)s' to %(path)s.")
                % {"count": len(manifest["items"]), "locale": locale.language_code, "path": path}
            )
        )
