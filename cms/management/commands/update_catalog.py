"""Merge the interface strings of the project's code into its gettext catalogs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import to_language

from cms.i18n import ExtractionError, catalog_path, extract, extract_edition_words, load_catalog, merge


def catalog_languages(locale_dir, default=True):
    """The languages that already have a catalog; French when none has (with ``default``)."""
    found = sorted(
        to_language(path.parent.parent.name) for path in Path(locale_dir).glob("*/LC_MESSAGES/django.po")
    )
    return found or ([settings.LANGUAGE_CODE] if default else [])


def catalog_set(editions):
    """Where the chosen catalogs live, and whether a set without catalogs starts one in French.

    The project's catalogs translate its whole interface; the editions' hold only
    the words an edition writes itself, in the languages the book is published in.
    """
    if editions:
        return Path(settings.EDITIONS_LOCALE_PATH), False
    return Path(settings.LOCALE_PATHS[0]), True


def display_path(path):
    """``path`` from the project root when it is inside it, as contributors know it."""
    path = Path(path)
    return path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _(
            "Find the interface strings of the project's code and templates and merge them into "
            "its catalogs: new strings come in untranslated, existing translations are kept, and "
            "strings the code no longer uses become obsolete. GNU gettext is not needed."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale",
            "-l",
            action="append",
            dest="languages",
            metavar="LANGUAGE",
            help=_("Language of a catalog to update (repeatable); by default, every existing catalog."),
        )
        parser.add_argument(
            "--editions",
            action="store_true",
            help=_(
                "Update the catalogs of the words the EPUB and PDF editions write themselves "
                "(headings, colophon, roles) instead of the interface's."
            ),
        )
        parser.add_argument(
            "--no-obsolete",
            action="store_true",
            help=_("Remove the strings the code no longer uses instead of keeping them as obsolete entries."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Write nothing; fail if a catalog is not up to date with the code."),
        )

    def handle(self, *args, languages=None, editions=False, no_obsolete=False, check=False, **options):
        locale_dir, default = catalog_set(editions)
        try:
            extraction = extract_edition_words(settings.BASE_DIR) if editions else extract(settings.BASE_DIR)
        except ExtractionError as error:
            raise CommandError(_("Cannot read %(error)s") % {"error": error}) from error
        for note in extraction.notes:
            self.stderr.write(self.style.WARNING(note))
        stale = []
        for language in languages or catalog_languages(locale_dir, default):
            path = catalog_path(locale_dir, language)
            catalog = load_catalog(path, language)
            result = merge(catalog, extraction.messages, keep_obsolete=not no_obsolete)
            text = str(catalog)
            current = path.read_text(encoding="utf-8") if path.exists() else None
            untranslated = len(catalog.untranslated_entries()) + len(catalog.fuzzy_entries())
            name = display_path(path)
            summary = _(
                "%(catalog)s — strings: %(total)d, new: %(added)d, no longer used: %(obsolete)d, "
                "to translate or review: %(untranslated)d."
            ) % {
                "catalog": name,
                "total": len(extraction.messages),
                "added": len(result.added) + len(result.revived),
                "obsolete": len(result.obsoleted) + len(result.removed),
                "untranslated": untranslated,
            }
            if check:
                # Only what the code asks for counts: a PO editor's line wrapping or
                # moved source lines do not make a catalog out of date.
                if result.keys_changed:
                    stale.append(str(name))
                    self.stderr.write(summary)
                else:
                    self.stdout.write(summary)
                continue
            if text == current:
                self.stdout.write(summary)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(summary))
            if options["verbosity"] > 0:
                for entry in catalog.untranslated_entries() + catalog.fuzzy_entries():
                    self.stdout.write(f"  {entry.msgid}")
        if check and stale:
            raise CommandError(
                _("Not up to date with the code: %(catalogs)s. Run manage.py update_catalog.")
                % {"catalogs": ", ".join(stale)}
            )
