"""``manage.py generate_book --chapters N``: a large synthetic book for benchmarks and scale tests."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from book.models import BookPage
from book.progress import ProgressBar
from book.synthetic import (
    DEFAULT_BLOCKS,
    DEFAULT_SLUG,
    BookSpec,
    SyntheticBookBuilder,
    delete_existing,
    find_existing,
)


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate a large synthetic book (parts, chapters using every body block, contributors, "
        "themes, cities, sectors, images) for benchmarks and scale tests."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats the description as a str: translate it now, in the language of the run.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--chapters", type=int, required=True, help=gettext_lazy("Number of chapters (at least 1).")
        )
        parser.add_argument(
            "--blocks",
            type=int,
            default=DEFAULT_BLOCKS,
            help=gettext_lazy("Body blocks per chapter (default %(default)s)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help=gettext_lazy(
                "Seed of the text generator: the same seed writes the same text (default %(default)s)."
            ),
        )
        parser.add_argument(
            "--slug",
            default=DEFAULT_SLUG,
            help=gettext_lazy("Slug of the book page under the root (default %(default)s)."),
        )
        parser.add_argument(
            "--parts",
            type=int,
            help=gettext_lazy("Number of parts (default: one per 20 chapters)."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=gettext_lazy(
                "Delete the book with the same slug, with its images, cities and sectors, first."
            ),
        )

    def handle(self, *args, **options):
        spec = self._spec(options)
        locale = Locale.get_default()
        existing = find_existing(spec, locale)
        if existing and existing["page"] is not None and existing["page"].specific_class is not BookPage:
            raise CommandError(
                _("The page with the slug “%(slug)s” is not a book; choose another --slug.")
                % {"slug": spec.slug}
            )
        if existing and not options["replace"]:
            raise CommandError(
                _(
                    "A synthetic book with the slug “%(slug)s” already exists. Run again with --replace to "
                    "delete it and generate a new one, or choose another --slug."
                )
                % {"slug": spec.slug}
            )

        started = time.monotonic()
        builder = SyntheticBookBuilder(spec, progress=self._progress)
        committed = False
        try:
            with transaction.atomic():
                if existing:
                    self.stdout.write(_("Deleting the previous book “%(slug)s”…") % {"slug": spec.slug})
                    delete_existing(existing)
                result = builder.build()
            committed = True
        finally:
            if not committed:
                # The rollback leaves no row pointing at the files stored for this run.
                for storage, name in builder.result.stored_files:
                    storage.delete(name)

        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created the book “%(title)s” (slug %(slug)s): %(chapters)d chapters in %(parts)d parts, "
                    "%(contributors)d contributors, %(themes)d themes, %(cities)d cities, %(sectors)d sectors "
                    "and %(images)d images, in %(seconds).1f s."
                )
                % {
                    "title": result.book.title,
                    "slug": spec.slug,
                    "seconds": time.monotonic() - started,
                    **counts,
                }
            )
        )

    def _spec(self, options):
        chapters, blocks, parts = options["chapters"], options["blocks"], options["parts"]
        if chapters is None or chapters < 1:
            raise CommandError(_("--chapters must be a whole number of at least 1."))
        if blocks < 1:
            raise CommandError(_("--blocks must be a whole number of at least 1."))
        if parts is not None and not 1 <= parts <= chapters:
            raise CommandError(
                _("--parts must be between 1 and the number of chapters (%(chapters)d).")
                % {"chapters": chapters}
            )
        slug = options["slug"]
        try:
            validate_unicode_slug(slug)
        except ValidationError as error:
            raise CommandError(
                _("--slug “%(slug)s” is not a valid slug: use letters, numbers, hyphens or underscores.")
                % {"slug": slug}
            ) from error
        return BookSpec(chapters=chapters, blocks=blocks, seed=options["seed"], slug=slug, parts=parts)

    def _progress(self, label, total):
        return ProgressBar(self.stderr, label, total)
