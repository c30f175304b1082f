"""Make sure a superuser exists to log in to the admin, without ever hard-coding its password."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.private_files import generate_password, read_password, write_password

PASSWORD_FILE_NAME = ".admin_password"


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _(
            "Create a superuser for the admin with a random password, kept in a git-ignored file at "
            "the project root. Run again, it prints the same login; it never changes an existing "
            "user's password unless --reset-password is given."
        )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help=_("Username of the superuser."))
        parser.add_argument("--email", default="admin@localhost", help=_("Email of a new superuser."))
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help=_("Give an existing user a new random password."),
        )
        parser.add_argument(
            "--password-file",
            default=Path(settings.LOCAL_CREDENTIALS_DIR) / PASSWORD_FILE_NAME,
            type=Path,
            help=_("Where the password is kept (default: .admin_password at the project root)."),
        )

    def handle(self, *args, username, email, reset_password, password_file, **options):
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()

        if user is None:
            # The file is written first: a password is never set that was not kept.
            password = generate_password()
            write_password(password_file, password)
            user_model._default_manager.create_superuser(username, email, password)
            self.stdout.write(self.style.SUCCESS(_("Created superuser '%(user)s'.") % {"user": username}))
            self.print_login(username, password, password_file)
            return

        if not (user.is_active and user.is_superuser):
            raise CommandError(
                _("User '%(user)s' exists but is not an active superuser; choose another --username.")
                % {"user": username}
            )

        if reset_password:
            password = generate_password()
            write_password(password_file, password)
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(
                self.style.SUCCESS(_("Gave superuser '%(user)s' a new password.") % {"user": username})
            )
            self.print_login(username, password, password_file)
            return

        stored = read_password(password_file)
        if stored and user.check_password(stored):
            self.stdout.write(_("Superuser '%(user)s' already exists.") % {"user": username})
            self.print_login(username, stored, password_file)
        elif stored:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Superuser '%(user)s' exists and its password was changed since %(file)s was "
                        "written; it was not reset. Use --reset-password to set a new one."
                    )
                    % {"user": username, "file": password_file}
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Superuser '%(user)s' exists and no password is stored in %(file)s; it was not "
                        "reset. Use --reset-password to set a new one."
                    )
                    % {"user": username, "file": password_file}
                )
            )

    def print_login(self, username, password, password_file):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
        self.stdout.write(_("Log in at %(url)s") % {"url": url})
        self.stdout.write(_("  username: %(user)s") % {"user": username})
        self.stdout.write(_("  password: %(password)s") % {"password": password})
        self.stdout.write(_("  (stored in %(file)s)") % {"file": password_file})
