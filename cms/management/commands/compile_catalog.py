"""Compile the project's gettext catalogs (.po) into the .mo files Django reads."""

import polib
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.i18n import catalog_path, catalog_problems, compile_catalog, translations

from .update_catalog import catalog_languages, catalog_set, display_path


class Command(BaseCommand):
    @property
    def help(self):
        # A property, because argparse needs a str in the language active when the command runs.
        return _(
            "Write each catalog's django.mo from its django.po, after checking that no translation "
            "uses a placeholder the code does not provide. GNU gettext is not needed."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale",
            "-l",
            action="append",
            dest="languages",
            metavar="LANGUAGE",
            help=_("Language of a catalog to compile (repeatable); by default, every existing catalog."),
        )
        parser.add_argument(
            "--editions",
            action="store_true",
            help=_(
                "Compile the catalogs of the words the editions write themselves instead of the interface's."
            ),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Write nothing; fail if a compiled catalog does not match its source."),
        )

    def handle(self, *args, languages=None, editions=False, check=False, **options):
        locale_dir, default = catalog_set(editions)
        out_of_date = []
        for language in languages or catalog_languages(locale_dir, default):
            po_path = catalog_path(locale_dir, language)
            if not po_path.exists():
                raise CommandError(_("There is no catalog at %(path)s.") % {"path": display_path(po_path)})
            mo_path = po_path.with_suffix(".mo")
            catalog = polib.pofile(str(po_path))
            problems = catalog_problems(catalog)
            if problems:
                raise CommandError("\n".join([str(display_path(po_path)), *problems]))
            if check:
                if not mo_path.exists() or translations(polib.mofile(str(mo_path))) != translations(catalog):
                    out_of_date.append(str(display_path(mo_path)))
                continue
            compile_catalog(catalog, mo_path)
            missing = len(catalog.untranslated_entries()) + len(catalog.fuzzy_entries())
            message = _("%(path)s — translations compiled: %(translated)d.") % {
                "path": display_path(mo_path),
                "translated": len(catalog.translated_entries()),
            }
            self.stdout.write(self.style.SUCCESS(message))
            if missing:
                self.stderr.write(
                    self.style.WARNING(
                        _("Strings untranslated or fuzzy, shown in English: %(count)d.") % {"count": missing}
                    )
                )
        if out_of_date:
            raise CommandError(
                _("Not compiled from the current catalog: %(paths)s. Run manage.py compile_catalog.")
                % {"paths": ", ".join(out_of_date)}
            )
