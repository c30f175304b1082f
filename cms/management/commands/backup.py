"""``manage.py backup PATH``: the database and the media files in one archive."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backup import VENDOR_NAMES, BackupError, create_backup


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Write the database and every media file to one .tar.gz archive, to be put back with "
            "the restore command."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help=_(
                "The archive to write (e.g. book.tar.gz), or an existing folder to write a new archive "
                "into, named after the date and time."
            ),
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if path.is_dir():
            path = path / f"backup-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        elif not path.parent.is_dir():
            raise CommandError(_("No such folder: %(folder)s") % {"folder": path.parent})
        try:
            manifest = create_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up the %(vendor)s database and %(count)d media files to %(path)s.")
                % {"vendor": VENDOR_NAMES[manifest["database"]], "count": manifest["files"], "path": path}
            )
        )
