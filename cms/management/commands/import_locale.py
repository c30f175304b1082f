"""``manage.py import_locale X in.zip``: bring back a language exported with export_locale (or one item's .po)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from book.progress import ProgressBar
from cms.localization.po import ImportRejected, import_locale

from .sync_translations import resolve_locale


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Import a zip of PO files made by export_locale, or one item's PO file downloaded from the "
            "queue. Everything is checked first: on any problem nothing is imported and every problem "
            "is listed."
        )

    def add_arguments(self, parser):
        parser.add_argument("locale", help=_("Language code of the target language, e.g. 'en'."))
        parser.add_argument("path", help=_("The zip file (or .po file) to read."))

    def handle(self, *args, **options):
        locale = resolve_locale(options["locale"])
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            with path.open("rb") as handle:
                report = import_locale(
                    locale, handle, progress=ProgressBar.factory(self.stderr), name=path.name
                )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Import rejected, nothing was changed: %(count)s problems.")
                % {"count": len(rejected.problems)}
            ) from rejected
        for item in report.changed_items:
            self.stdout.write(
                _("%(file)s (%(item)s): %(created)s new, %(updated)s changed translations")
                % {
                    "file": item.file,
                    "item": item.title,
                    "created": len(item.created),
                    "updated": len(item.updated),
                }
            )
            if options["verbosity"] > 1:
                for change in item.changed:
                    self.stdout.write(f"  [{change.context}] {change.old!r} -> {change.new!r}")
        self.stdout.write(self.style.SUCCESS(f"{locale.language_code}: {report.summary()}"))
        fuzzy = sum(item.fuzzy for item in report.items)
        if fuzzy:
            self.stdout.write(
                self.style.WARNING(_("%(count)s entries marked fuzzy were not imported.") % {"count": fuzzy})
            )
