"""Markdown (.md), alone or in a .zip with its images, read by markdown-it with its footnote plugin.

Raw HTML in the text is shown as text, never interpreted. An image must be in the
zip beside the Markdown file (its address relative to it); one given by a web
address refuses the whole file, since nothing outside the upload is fetched. A
front matter may say the language (``lang: en``).
"""

import posixpath
import re

from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .archive import open_archive, read_entry
from .errors import ManuscriptError
from .images import check_image

LANG_RE = re.compile(r"^\s*(?:lang|language)\s*:\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.MULTILINE)
MARKDOWN_EXTENSIONS = (".md", ".markdown")


def parser():
    return (
        MarkdownIt("commonmark", {"html": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(front_matter_plugin)
    )


def decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ManuscriptError(_("The Markdown file is not UTF-8 text.")) from error


def read_markdown(data, report, files=None, folder=""):
    """``(html, images by number)``; ``files(path)`` gives the bytes of a file of the zip, or None."""
    text = decode(data)
    if "\x00" in text:
        raise ManuscriptError(_("The Markdown file is not text."))
    md = parser()
    env = {}
    tokens = md.parse(text, env)
    images = {}
    for token in tokens:
        if token.type == "front_matter":
            found = LANG_RE.search(token.content)
            if found:
                report.languages[found.group(1)] += len(text)
        if token.type == "table_open":
            report.tables += 1
        for child in token.children or []:
            if child.type == "s_open":
                report.other_dropped[_("Strikethrough (its text kept)")] += 1
            if child.type != "image":
                continue
            number = len(images) + 1
            source = child.attrs.get("src", "")
            content = image_bytes(source, files, folder, number)
            checked = check_image(number, posixpath.basename(source), content, report)
            if checked is not None:
                checked.alt = " ".join(child.content.split())
            images[number] = checked
            child.attrs["src"] = f"manuscript-image:{number}"
    return md.renderer.render(tokens, md.options, env), images


def image_bytes(source, files, folder, number):
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", source)
    if scheme or source.startswith("//"):
        raise ManuscriptError(
            _(
                "Image %(number)s is linked from outside the file (%(address)s), which is never fetched: "
                "put the image in a .zip beside the Markdown file and try again."
            )
            % {"number": number, "address": source[:120]}
        )
    if files is None:
        raise ManuscriptError(
            _(
                "Image %(number)s (%(name)s) is not in the upload: send a .zip of the Markdown file "
                "with its images."
            )
            % {"number": number, "name": source[:120]}
        )
    path = posixpath.normpath(posixpath.join(folder, source.split("#")[0].split("?")[0]))
    content = None if path.startswith("../") or path.startswith("/") else files(path)
    if content is None:
        raise ManuscriptError(
            _("Image %(number)s (%(name)s) is not in the zip.") % {"number": number, "name": source[:120]}
        )
    return content


def read_markdown_zip(data, report):
    """A zip holding one Markdown file and its images."""
    if not data.startswith(b"PK"):
        raise ManuscriptError(_("The file is not a zip archive."))
    archive = open_archive(data, _("zip archive"))
    names = [
        name
        for name in archive.namelist()
        if name.lower().endswith(MARKDOWN_EXTENSIONS)
        and not name.startswith("__MACOSX/")
        and not posixpath.basename(name).startswith(".")
    ]
    if len(names) != 1:
        raise ManuscriptError(
            _("The zip must hold one Markdown file (.md); it holds %(count)s.") % {"count": len(names)}
        )
    (name,) = names

    def files(path):
        return read_entry(archive, path, path[:120])

    return read_markdown(files(name), report, files=files, folder=posixpath.dirname(name))
