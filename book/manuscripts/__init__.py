"""Contributors' manuscripts (.docx, .md, or a .zip of a Markdown file and its images) read into chapter blocks.

``read_manuscript`` reads and checks a whole file without writing anything: the blocks,
the images (checked, not stored) and a report of what was mapped, dropped or needs the
editor's attention. ``write_draft`` then stores the images and writes the blocks as a
new draft revision of a chapter, all or nothing. Conventions are in ``structure``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .draft import write_draft
from .errors import ManuscriptError
from .report import Report

__all__ = ["Manuscript", "ManuscriptError", "Report", "read_manuscript", "write_draft"]

REFUSED_EXTENSIONS = {
    ".doc": lambda: _(
        "This is an older Word document (.doc): save it as a Word document (.docx) and try again."
    ),
    ".docm": lambda: _(
        "This Word document carries macros (.docm): save it as a plain Word document (.docx) and try again."
    ),
    ".odt": lambda: _(
        "This is an OpenDocument text (.odt): save it as a Word document (.docx) and try again."
    ),
}


@dataclass
class Manuscript:
    """A file read into blocks, ready to be previewed or written."""

    name: str
    blocks: list
    images: dict  # number -> ManuscriptImage (None: left out)
    report: Report

    def stored_blocks(self, image_ids):
        """The blocks as a StreamField stores them, with ``image_ids`` (number -> pk) for the images."""
        stored = []
        for block in self.blocks:
            value = block["value"]
            if block["type"] == "image":
                value = {key: item for key, item in value.items() if not key.startswith("_")}
                value["image"] = image_ids[block["value"]["_image"]]
            stored.append({"type": block["type"], "value": value})
        return stored


def is_rtl(language_code):
    try:
        return bool(get_language_info(language_code)["bidi"])
    except KeyError:
        return False


def read_manuscript(name, data, language_code):
    """The Manuscript in ``data`` (the file's bytes, ``name`` its file name), for a chapter in ``language_code``.

    Raises ManuscriptError, saying why, for a file that cannot be imported.
    """
    from .docx import read_docx
    from .markdown import MARKDOWN_EXTENSIONS, read_markdown, read_markdown_zip
    from .structure import Structurer

    lowered = (name or "").lower()
    extension = "." + lowered.rsplit(".", 1)[-1] if "." in lowered else ""
    if len(data) > settings.BOOK_MANUSCRIPT_MAX_BYTES:
        raise ManuscriptError(
            _("The file weighs %(size)s MB, more than the %(limit)s MB accepted.")
            % {
                "size": round(len(data) / 1024 / 1024, 1),
                "limit": round(settings.BOOK_MANUSCRIPT_MAX_BYTES / 1024 / 1024, 1),
            }
        )
    if not data:
        raise ManuscriptError(_("The file is empty."))
    if extension in REFUSED_EXTENSIONS:
        raise ManuscriptError(REFUSED_EXTENSIONS[extension]())
    report = Report(chapter_language=language_code, chapter_rtl=is_rtl(language_code))
    rtl_texts = ()
    if extension == ".docx":
        report.source = "docx"
        html, images, rtl_texts = read_docx(data, report)
    elif extension in MARKDOWN_EXTENSIONS:
        report.source = "markdown"
        html, images = read_markdown(data, report)
    elif extension == ".zip":
        report.source = "markdown"
        html, images = read_markdown_zip(data, report)
    else:
        raise ManuscriptError(
            _(
                "Import a Word document (.docx), a Markdown file (.md) or a .zip of a Markdown file and its images."
            )
        )
    blocks = Structurer(html, images, report, rtl_texts).run()
    if not blocks:
        raise ManuscriptError(_("The file holds no text to import."))
    return Manuscript(name=name, blocks=blocks, images=images, report=report)
