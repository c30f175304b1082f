"""``manage.py import_manuscript <chapter key or slug> FILE``: a manuscript into a chapter's draft."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from book.manuscripts import ManuscriptError, read_manuscript, write_draft
from book.manuscripts.report import DROPPED, MAPPED, WARNING
from book.models import ChapterPage


def find_chapter(reference, language_code):
    chapters = ChapterPage.objects.filter(locale__language_code=language_code)
    try:
        key = uuid.UUID(reference)
    except ValueError:
        key = None
    chapter = chapters.filter(translation_key=key).first() if key else chapters.filter(slug=reference).first()
    if chapter is None:
        raise CommandError(
            _("No chapter “%(reference)s” in %(language)s.")
            % {"reference": reference, "language": language_code}
        )
    return chapter


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Import a Word document (.docx), a Markdown file (.md) or a .zip of a Markdown file and its "
            "images as a new draft of a chapter's body, and print the import report. Nothing is published."
        )

    def add_arguments(self, parser):
        parser.add_argument("chapter", help=_("The chapter's key (shared by its languages) or its slug."))
        parser.add_argument("path", help=_("The manuscript to import."))
        parser.add_argument(
            "--locale",
            default=settings.BOOK_SOURCE_LANGUAGE,
            help=_("Language code of the chapter's version to write to (default: the source language)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Read the file and print the report; write nothing.")
        )

    def handle(self, *args, **options):
        chapter = find_chapter(options["chapter"], options["locale"])
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        if path.stat().st_size > settings.BOOK_MANUSCRIPT_MAX_BYTES:
            raise CommandError(
                _("The file weighs %(size)s MB, more than the %(limit)s MB accepted.")
                % {
                    "size": round(path.stat().st_size / 1024 / 1024, 1),
                    "limit": round(settings.BOOK_MANUSCRIPT_MAX_BYTES / 1024 / 1024, 1),
                }
            )
        try:
            manuscript = read_manuscript(path.name, path.read_bytes(), chapter.locale.language_code)
        except ManuscriptError as error:
            raise CommandError(error.message) from error
        headings = {MAPPED: _("Mapped"), DROPPED: _("Left out"), WARNING: _("To check")}
        lines = manuscript.report.lines()
        for kind in (MAPPED, DROPPED, WARNING):
            chosen = [text for line_kind, text in lines if line_kind == kind]
            if chosen:
                self.stdout.write(f"{headings[kind]}:")
                for text in chosen:
                    self.stdout.write(f"  - {text}")
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        revision = write_draft(chapter, manuscript)
        self.stdout.write(
            _("“%(title)s” (%(language)s) has a new draft, revision %(revision)s; nothing was published.")
            % {"title": chapter.title, "language": chapter.locale.language_code, "revision": revision.pk}
        )
