"""Build every public document of the API again (``api.documents``): after a deployment or a migration."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Locale

from api import documents
from api.views import ITEM_VIEWSETS
from book.progress import ProgressBar


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Build the API's stored documents again, one at a time: the site goes on serving while it "
            "runs, each document being replaced when its new version is written."
        )

    def add_arguments(self, parser):
        parser.add_argument("--locale", help=_("Only the documents read in this language (its code)."))

    def handle(self, *args, **options):
        locale = None
        if options["locale"]:
            locale = Locale.objects.filter(language_code__iexact=options["locale"].strip()).first()
            if locale is None:
                raise CommandError(
                    _("Unknown locale “%(code)s”. Known: %(codes)s.")
                    % {
                        "code": options["locale"],
                        "codes": ", ".join(
                            Locale.objects.order_by("pk").values_list("language_code", flat=True)
                        ),
                    }
                )
        todo = list(documents.items_to_build(locale))
        bar = ProgressBar(self.stderr, _("Documents"), len(todo))
        stored = 0
        for kind, key, reading in todo:
            stored += len(documents.build(ITEM_VIEWSETS[kind.name], key, reading))
            bar.update()
        bar.close()
        self.stdout.write(
            _("%(count)d documents built for %(items)d items.") % {"count": stored, "items": len(todo)}
        )
