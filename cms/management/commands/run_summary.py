"""What `make run` set up, in a few lines: the book, the addresses, the logins, where e-mails go."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from book.models import BookPage, ChapterPage
from cms.demo_translations import REVIEWER, TRANSLATOR, password_file
from cms.management.commands.ensure_admin import PASSWORD_FILE_NAME
from cms.private_files import read_password


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Print what the development server serves: the book loaded, the addresses of the admin, "
            "the API and the reader, the logins, and where development e-mails are written."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help=_("The address the CMS is served at.")
        )
        parser.add_argument("--reader-url", default="", help=_("The address of the reader, when it runs."))
        parser.add_argument(
            "--language", default="en", help=_("The language of the summary (default: English).")
        )
        parser.add_argument("--log", default="", help=_("The file holding the details of the set-up."))

    def handle(self, *args, url, reader_url, language, log, **options):
        with translation.override(language):
            for line in self.lines(url.rstrip("/"), reader_url, log):
                self.stdout.write(line)

    def lines(self, url, reader_url, log):
        yield ""
        yield self.style.SUCCESS(_("The book CMS is running."))
        books = BookPage.objects.live().select_related("locale").order_by("locale__language_code")
        source = books.filter(locale__language_code=settings.BOOK_SOURCE_LANGUAGE).first()
        if source is not None:
            chapters = ChapterPage.objects.live().filter(locale=source.locale).count()
            languages = ", ".join(
                Locale.objects.filter(pk__in=books.values("locale")).values_list("language_code", flat=True)
            )
            yield _("  Book:      “%(title)s”, %(chapters)d chapters; published in: %(languages)s") % {
                "title": source.title,
                "chapters": chapters,
                "languages": languages,
            }
        yield _("  Admin:     %(url)s/admin/  (translations: %(url)s/admin/localization/)") % {"url": url}
        yield from self.login(
            "admin", Path(settings.LOCAL_CREDENTIALS_DIR) / PASSWORD_FILE_NAME, superuser=True
        )
        for username in (TRANSLATOR, REVIEWER):
            yield from self.login(username, password_file(username))
        yield _("  API:       %(url)s/api/v1/  (docs: %(url)s/api/v1/docs/)") % {"url": url}
        if reader_url:
            yield _("  Reader:    %(url)s") % {"url": reader_url}
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            yield _("  E-mails:   written to files in %(path)s, never sent") % {
                "path": settings.EMAIL_FILE_PATH
            }
        yield _(
            "  Worker:    'make worker' in another terminal sends webhooks, publishes on schedule, records API usage"
        )
        if log:
            yield _("  Details:   %(log)s (or run 'make run VERBOSE=1')") % {"log": log}
        yield ""

    def login(self, username, path, superuser=False):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            return
        password = read_password(path)
        if superuser:
            label = _("  Login:     %(user)s / %(password)s")
        else:
            label = _("  Demo:      %(user)s / %(password)s")
        if password and user.check_password(password):
            yield label % {"user": username, "password": password} + _("  (kept in %(file)s)") % {
                "file": path.name
            }
        else:
            yield label % {"user": username, "password": _("(password changed since; not shown)")}
