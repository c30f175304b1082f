"""Build the editions of the published books now, in this process, with a progress bar."""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.models import Locale

from editions import builds
from editions.formats import FORMATS

BAR_WIDTH = 30


class Command(BaseCommand):
    @property
    def help(self):
        return _("Build the EPUB and PDF editions of every published language of the books now.")

    def add_arguments(self, parser):
        parser.add_argument("--locale", help=_("Only this language (its code, such as fr or en)."))
        parser.add_argument("--format", choices=sorted(FORMATS), help=_("Only this format."))
        parser.add_argument("--book", help=_("Only the book with this key."))

    def handle(self, *, locale=None, format=None, book=None, **options):
        books = builds.public_books(locale=self._locale(locale) if locale else None, book_key=self._key(book))
        editions = builds.editions_of(books, [format] if format else None)
        if not editions:
            raise CommandError(_("No published book matches: nothing to build."))
        books_by_key = {(item.translation_key, item.locale_id): item for item in books}
        interactive = self.stdout.isatty()
        failures = []
        for position, edition in enumerate(editions, start=1):
            book_page = books_by_key[(edition.book_key, edition.locale_id)]
            label = f"{book_page.title} ({book_page.locale.language_code}, {edition.format})"
            if interactive:
                self._bar(position - 1, len(editions), label)
            try:
                edition = builds.build(edition)
            except (builds.BuildInProgress, builds.BuildFailed) as error:
                failures.append(f"{label}: {error}")
                outcome = _("failed: %(reason)s") % {"reason": error}
            else:
                outcome = _("%(size)s in %(seconds).1f s") % {
                    "size": filesizeformat(edition.bytes),
                    "seconds": edition.build_seconds,
                }
                if not edition.complete:
                    outcome += " · " + _("incomplete")
            # On a terminal the result replaces the bar, which is drawn again under it.
            clear = "\r\033[K" if interactive else ""
            self.stdout.write(f"{clear}[{position}/{len(editions)}] {label}: {outcome}")
        if interactive:
            self._bar(len(editions), len(editions), "")
            self.stdout.write("")
        if failures:
            raise CommandError(
                _("%(count)d of %(total)d editions could not be built:\n%(failures)s")
                % {"count": len(failures), "total": len(editions), "failures": "\n".join(failures)}
            )

    def _bar(self, done, total, label):
        filled = BAR_WIDTH * done // total
        self.stdout.write(
            f"\r\033[K[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}", ending=""
        )
        self.stdout.flush()

    def _locale(self, code):
        found = Locale.objects.filter(language_code__iexact=code).first()
        if found is None:
            known = ", ".join(
                Locale.objects.order_by("language_code").values_list("language_code", flat=True)
            )
            raise CommandError(
                _("Unknown locale “%(code)s”. Known locales: %(known)s.") % {"code": code, "known": known}
            )
        return found

    def _key(self, value):
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise CommandError(_("“%(value)s” is not a book key (a UUID).") % {"value": value}) from None
