"""The EPUB 3 of one language of the book, written from templates into a zip.

Every file is rendered from a template in the edition's language; the zip
starts with the ``mimetype`` entry, stored, and gives every entry the same
fixed date and attributes, and every id is derived from the content's order,
so that the same content always gives the same bytes.
"""

import io
import zipfile
from datetime import UTC

from django.template.loader import render_to_string
from django.utils.translation import override

from .content import collect, interface_language
from .formats import Built
from .render import CONTRIBUTORS_FILE, Layout

MEDIA_TYPE = "application/epub+zip"
XHTML = "application/xhtml+xml"
# The date of every zip entry: the zip format's earliest, so that a build never depends on when it ran.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ROOT = "OEBPS"


def build_epub(book_page):
    """The EPUB of ``book_page``'s language edition, as ``Built``."""
    content = collect(book_page)
    with override(interface_language(content.language)):
        files = epub_files(content)
    return Built(data=write_zip(files), complete=content.complete, warnings=tuple(content.warnings))


def write_zip(files):
    """The zip of ``files`` (``[(name, bytes)]``), ``mimetype`` first and stored, as readers require."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [
            ("mimetype", MEDIA_TYPE.encode("ascii"), zipfile.ZIP_STORED),
            *((name, data, zipfile.ZIP_DEFLATED) for name, data in files),
        ]
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = compression
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compress_type=compression, compresslevel=9 if compression else None)
    return buffer.getvalue()


def modified_stamp(modified):
    """``dcterms:modified`` as EPUB wants it: when the content last changed, in UTC, to the second."""
    if modified is None:
        # Nothing published yet carries a date: a fixed one keeps the build reproducible.
        return "2000-01-01T00:00:00Z"
    return modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epub_files(content):
    """Every file of the EPUB but ``mimetype``, as ``[(name in the zip, bytes)]``, in a fixed order."""
    layout = Layout(content, epub=True)
    context = layout.document_context(contributors_href=CONTRIBUTORS_FILE)
    documents = []  # (id, file, rendered text, properties)

    def page(item_id, name, template, properties="", **extra):
        documents.append((item_id, name, render_to_string(template, {**context, **extra}), properties))

    page("cover", "cover.xhtml", "editions/epub/cover.xhtml")
    page("title", "title.xhtml", "editions/epub/title.xhtml")
    page("colophon", "colophon.xhtml", "editions/epub/colophon.xhtml")
    first = content.parts[0] if content.parts else None
    page(
        "nav",
        "nav.xhtml",
        "editions/epub/nav.xhtml",
        properties="nav",
        bodymatter=f"{first.file}#{first.anchor}" if first else "",
    )
    for part in content.parts:
        page(f"part-{part.number}", part.file, "editions/epub/part.xhtml", part=layout.part(part))
        for chapter in part.chapters:
            page(
                f"chapter-{chapter.number}",
                chapter.file,
                "editions/epub/chapter.xhtml",
                chapter=layout.chapter(chapter),
            )
    if context["biographies"]:
        page("contributors", CONTRIBUTORS_FILE, "editions/epub/contributors.xhtml")

    manifest = [
        {"id": item_id, "href": name, "media_type": XHTML, "properties": properties}
        for item_id, name, _text, properties in documents
    ]
    manifest.append({"id": "style", "href": "style.css", "media_type": "text/css", "properties": ""})
    images = sorted(
        (image for image in content.images.values() if image.data is not None), key=lambda image: image.id
    )
    cover_id = ""
    for image in images:
        item_id = f"image-{image.id}"
        properties = ""
        if content.cover is not None and image.id == content.cover.id:
            properties = "cover-image"
            cover_id = item_id
        manifest.append(
            {"id": item_id, "href": image.name, "media_type": image.media_type, "properties": properties}
        )

    package = render_to_string(
        "editions/epub/package.opf",
        {
            **context,
            "identifier": content.identifier,
            "doi": content.doi,
            "doi_identifier": f"urn:doi:{content.doi}" if content.doi else "",
            "creators": [
                {"name": biography.page.title, "sort_name": biography.page.sort_name or biography.page.title}
                for biography in content.biographies
            ],
            "translators": content.translators,
            "publisher": content.publisher,
            "publication_date": content.publication_date,
            "licence": content.licence,
            "modified": modified_stamp(content.modified),
            "has_images": bool(images),
            "accessibility_summary": layout.accessibility_summary(),
            "cover_id": cover_id,
            "manifest": manifest,
            "spine": [item_id for item_id, _name, _text, _properties in documents],
        },
    )
    files = [
        ("META-INF/container.xml", render_to_string("editions/epub/container.xml").encode()),
        (f"{ROOT}/package.opf", package.encode()),
    ]
    files += [(f"{ROOT}/{name}", text.encode()) for _id, name, text, _properties in documents]
    files.append((f"{ROOT}/style.css", render_to_string("editions/edition.css").encode()))
    files += [(f"{ROOT}/{image.name}", image.data) for image in images]
    return files
