from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.demo_translations import REVIEWER, TRANSLATOR, password_file
from cms.private_files import read_password


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _("Print the logins of the demo translator and reviewer that load_demo_book created.")

    def handle(self, *args, **options):
        users = get_user_model()._default_manager
        for username in (TRANSLATOR, REVIEWER):
            user = users.filter(username=username).first()
            if user is None:
                continue
            path = password_file(username)
            password = read_password(path)
            if password and user.check_password(password):
                self.stdout.write(_("Demo user '%(user)s':") % {"user": username})
                self.stdout.write(_("  password: %(password)s") % {"password": password})
                self.stdout.write(_("  (stored in %(file)s)") % {"file": path})
            else:
                self.stdout.write(
                    _("Demo user '%(user)s' exists but %(file)s does not hold its password.")
                    % {"user": username, "file": path}
                )
