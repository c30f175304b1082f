from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cms.demo_translations import load_demo_translations


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _(
            "Put the English edition of the demo book in every translation state (published, in "
            "progress, source changed, awaiting review, assigned) and create its demo translator "
            "and reviewer. Touches only items never translated into English: safe to run again."
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            result = load_demo_translations()
        if not result.users:
            self.stdout.write(_("No demo book or no English language: no demo translations were made."))
            return
        for login in result.users:
            if login.created:
                self.stdout.write(
                    self.style.SUCCESS(_("Created demo user '%(user)s'.") % {"user": login.username})
                )
        self.stdout.write(
            _("English demo translations: %(started)d started, %(assigned)d assigned")
            % {"started": len(result.started), "assigned": len(result.assigned)}
        )
