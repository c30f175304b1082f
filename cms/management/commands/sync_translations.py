"""``manage.py sync_translations --locale X`` (or ``--all-locales``): bring out-of-date translations up to date."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from book.progress import ProgressBar
from cms.localization.sync import NotATargetLocale, sync_locale, target_locale
from cms.permissions import translatable_locales


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
                        _(
                            "  %(item)s: %(kept)s kept, %(reopened)s to translate again, %(untranslated)s untranslated"
                        )
                        % {
                            "item": item.label,
                            "kept": item.kept,
                            "reopened": item.reopened,
                            "untranslated": item.untranslated,
                        }
                    )
        if failed:
            raise CommandError(_("%(count)s items could not be synced.") % {"count": failed})
