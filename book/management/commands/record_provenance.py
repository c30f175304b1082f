"""``manage.py record_provenance``: the provenance of translations published before it was recorded."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from book.provenance import EarlierTranslations, forget_login_names
from book.signals import provenance_rewritten


class Command(BaseCommand):
    help = gettext_lazy(
        "Record who translated each published translation, from what and who approved it, where "
        "nothing was recorded when it was published, and credit nobody by a login name (the "
        "migrations do it once; run it again after restoring older data)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats the description as a str: translate it now, in the language of the run.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args, **options):
        with transaction.atomic():
            count = EarlierTranslations(apps).record_all()
            renamed = forget_login_names(apps)
            if count or renamed:
                # Written without a signal of their own: the API drops the documents that showed the old credits.
                provenance_rewritten.send(sender=None, apps=apps, using=DEFAULT_DB_ALIAS)
        if renamed:
            self.stdout.write(
                ngettext(
                    "Credited %(count)d translation by the names on the accounts, not by login names.",
                    "Credited %(count)d translations by the names on the accounts, not by login names.",
                    renamed,
                )
                % {"count": renamed}
            )
        if count:
            self.stdout.write(
                ngettext(
                    "Recorded the provenance of %(count)d translation.",
                    "Recorded the provenance of %(count)d translations.",
                    count,
                )
                % {"count": count}
            )
        else:
            self.stdout.write(_("Every published translation already has its provenance."))
