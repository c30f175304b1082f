from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from book.demo.loader import DemoBookLoader


class Command(BaseCommand):
    @property
    def help(self):
        # Read when the parser is built, so argparse gets a string in the active language.
        return _(
            "Load the French demo edition of the book: pages, contributors, themes, cities, sectors "
            "and images. Adds only what is missing and never changes what already exists."
        )

    def handle(self, *args, **options):
        loader = DemoBookLoader()
        committed = False
        try:
            with transaction.atomic():
                book = loader.load()
            committed = True
        finally:
            if not committed:
                loader.discard_stored_files()

        self.stdout.write(self.style.SUCCESS(_("Demo book: %(title)s") % {"title": book.title}))
        for tally in loader.tallies.values():
            self.stdout.write(
                _("%(label)s: %(created)d created, %(present)d already present")
                % {"label": tally.label, "created": tally.created, "present": tally.present}
            )
        for note in loader.notes:
            self.stdout.write(str(note))

        # Roles come from the staff side of the project, when it is installed.
        if "setup_roles" in get_commands():
            call_command(
                "setup_roles", stdout=self.stdout, stderr=self.stderr, verbosity=options["verbosity"]
            )
        else:
            self.stdout.write(_("No setup_roles command available; roles and workflows were not set up."))

        # The English demo states come from the staff side too, once roles and workflows exist.
        if "load_demo_translations" in get_commands():
            call_command(
                "load_demo_translations",
                stdout=self.stdout,
                stderr=self.stderr,
                verbosity=options["verbosity"],
            )
