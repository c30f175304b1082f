"""``manage.py restore ARCHIVE``: put back what the backup command wrote."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backup import VENDOR_NAMES, BackupError, restore_backup


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Restore the database and the media files from an archive written by the backup command, "
            "into an empty database (or, with --force, over the current content)."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The archive written by the backup command."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Restore even though the database is not empty, replacing its tables with the archive's."),
        )

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["path"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the %(vendor)s database of %(created)s and %(count)d media files from %(path)s.")
                % {
                    "vendor": VENDOR_NAMES[manifest["database"]],
                    "created": manifest["created_at"],
                    "count": manifest["files"],
                    "path": options["path"],
                }
            )
        )
