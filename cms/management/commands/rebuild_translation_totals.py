"""``manage.py rebuild_translation_totals``: count again the words of every item and of its translations."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.localization import totals
from cms.localization.state import book_items, source_locale, source_rows
from cms.permissions import translatable_locales


class Command(BaseCommand):
    @property
    def help(self):
        # A property, so that argparse gets the text in the language active when the command runs.
        return _(
            "Count again the words of every item of the book and how many are translated in each "
            "language. The queues and the grid count what is missing on their own; this does it all "
            "at once, e.g. after loading translations with raw SQL."
        )

    def handle(self, *args, **options):
        source = source_locale()
        items = book_items(source)
        locales = translatable_locales()
        with transaction.atomic():
            totals.rebuild(items, source_rows(source), [locale.pk for locale in locales])
        self.stdout.write(
            ngettext(
                "Counted the words of %(items)d item in %(languages)d languages.",
                "Counted the words of %(items)d items in %(languages)d languages.",
                len(items),
            )
            % {"items": len(items), "languages": len(locales)}
        )
