"""``manage.py sync_translations --locale X`` (or ``--all-locales``): bring out-of-date translations up to date."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.localization.sync import NotATargetLocale, sync_locale, target_locale
from cms.permissions import translatable_locales


def _plain(text):
    return text


class ProgressBar:
    """A progress bar on the command's error stream, so that the output itself stays clean.

    Redrawn in place on a terminal, without the error colour; elsewhere (logs, CI) one line at the end, so that a
    long run does not fill a log with carriage returns. Made by :meth:`factory`, which
    fits the ``progress(label, total)`` argument of the bulk operations.
    """

    WIDTH = 30

    def __init__(self, stream, label, total):
        self.stream = stream
        self.label = str(label)
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.draw()

    @classmethod
    def factory(cls, stream):
        return lambda label, total: cls(stream, label, total)

    def update(self, count=1):
        self.done = min(self.done + count, self.total)
        self.draw()

    def close(self):
        if self.tty:
            self.stream.write("", style_func=_plain)
        else:
            self.stream.write(self.line(), style_func=_plain)
        self.stream.flush()

    def line(self):
        percent = 100 if not self.total else self.done * 100 // self.total
        filled = self.WIDTH * percent // 100
        elapsed = time.monotonic() - self.started
        return (
            f"{self.label} |{'#' * filled}{'-' * (self.WIDTH - filled)}| "
            f"{percent:3d}% {self.done}/{self.total} {elapsed:.1f}s"
        )

    def draw(self):
        if self.tty:
            self.stream.write(f"\r{self.line()}", style_func=_plain, ending="")
            self.stream.flush()


def resolve_locale(code):
    """The target locale named on the command line, or a ``CommandError`` that says what is wrong."""
    try:
        return target_locale(code)
    except NotATargetLocale as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    @property
    def help(self):
        # A property, so that argparse gets the text in the language active when the command runs.
        return _(
            "Sync every out-of-date translation of a language with its French source: changed "
            "segments reopen, unchanged translations stay, manual translations are never overwritten."
        )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--locale", help=_("Language code of the target language, e.g. 'en'."))
        which.add_argument("--all-locales", action="store_true", help=_("Sync every target language."))

    def handle(self, *args, **options):
        locales = translatable_locales() if options["all_locales"] else [resolve_locale(options["locale"])]
        progress = ProgressBar.factory(self.stderr)
        failed = 0
        for locale in locales:
            report = sync_locale(locale, progress=progress)
            for item in report.failed:
                self.stderr.write(self.style.WARNING(item.error))
            failed += len(report.failed)
            if not report.items:
                self.stdout.write(
                    _("%(locale)s: every translation is up to date.") % {"locale": locale.language_code}
                )
                continue
            self.stdout.write(self.style.SUCCESS(f"{locale.language_code}: {report.summary()}"))
            if options["verbosity"] > 1:
                for item in report.synced:
                    self.stdout.write(
                        _("  %(item)s: %(kept)s kept, %(reopened)s to translate")
                        % {"item": item.label, "kept": item.kept, "reopened": item.reopened}
                    )
        if failed:
            raise CommandError(_("%(count)s items could not be synced.") % {"count": failed})
