"""Manuscripts built in code for the import tests: Word documents (python-docx, plus raw
WordprocessingML where python-docx has no API: notes, tracked changes, comments, fields,
shapes, languages) and Markdown files, alone or zipped with their images."""

import io
import re
import zipfile

from docx import Document
from PIL import Image as PILImage

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ENDNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def png_bytes(width=40, height=30, colour=(10, 120, 200)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def docx_bytes(build):
    """A .docx made by python-docx: ``build(document)`` writes its content."""
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data, change=None, add=None, remove=()):
    """The zip ``data`` with parts changed (``{name: function(bytes) -> bytes}``), added and removed."""
    change, add = change or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in remove:
                continue
            content = source.read(info.filename)
            if info.filename in change:
                content = change[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def replace_run(document_xml, marker, xml):
    """Replaces the run whose text is ``marker`` (a placeholder written with python-docx) by ``xml``."""
    text = document_xml.decode("utf-8")
    pattern = re.compile(r"<w:r>(?:(?!</w:r>).)*?<w:t>" + re.escape(marker) + r"</w:t></w:r>", re.DOTALL)
    assert pattern.search(text), marker
    return pattern.sub(lambda _match: xml, text, count=1).encode("utf-8")


def notes_part(kind, notes):
    """footnotes.xml or endnotes.xml holding ``notes`` ({id: text})."""
    tag = kind[:-1]  # footnote, endnote
    body = "".join(
        f'<w:{tag} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="{tag.capitalize()}Text"/></w:pPr>'
        f'<w:r><w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{tag}>'
        for number, text in notes.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} xmlns:w="{W_NS}">'
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
        f"{body}</w:{kind}>"
    ).encode()


def add_part(data, name, content, content_type, relationship_type, document_changes=None):
    """``data`` with one more part of the document (notes, comments), its relationship and content type."""

    def add_override(types):
        override = f'<Override PartName="/word/{name}" ContentType="{content_type}"/>'
        return types.replace(b"</Types>", override.encode() + b"</Types>")

    def add_relationship(rels):
        relationship = (
            f'<Relationship Id="rIdTest{name.split(".")[0]}" Type="{relationship_type}" Target="{name}"/>'
        )
        return rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")

    change = {"[Content_Types].xml": add_override, "word/_rels/document.xml.rels": add_relationship}
    if document_changes:
        change["word/document.xml"] = document_changes
    return rewrite_zip(data, change=change, add={f"word/{name}": content})


def with_notes(data, footnotes=None, endnotes=None):
    """A .docx whose runs ``{{fnN}}`` / ``{{enN}}`` become references to the notes given."""

    def references(xml):
        for number in footnotes or {}:
            xml = replace_run(
                xml, f"{{{{fn{number}}}}}", f'<w:r><w:footnoteReference w:id="{number}"/></w:r>'
            )
        for number in endnotes or {}:
            xml = replace_run(xml, f"{{{{en{number}}}}}", f'<w:r><w:endnoteReference w:id="{number}"/></w:r>')
        return xml

    if footnotes:
        data = add_part(
            data, "footnotes.xml", notes_part("footnotes", footnotes), FOOTNOTES_TYPE, f"{REL_NS}/footnotes"
        )
    if endnotes:
        data = add_part(
            data, "endnotes.xml", notes_part("endnotes", endnotes), ENDNOTES_TYPE, f"{REL_NS}/endnotes"
        )
    return rewrite_zip(data, change={"word/document.xml": references})


def with_runs(data, replacements):
    """A .docx whose placeholder runs (``{marker: xml}``) are replaced by raw WordprocessingML."""

    def apply(xml):
        for marker, replacement in replacements.items():
            xml = replace_run(xml, marker, replacement)
        return xml

    return rewrite_zip(data, change={"word/document.xml": apply})


def with_comments(data, texts):
    comments = "".join(
        f'<w:comment w:id="{number}" w:author="Relecteur"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>'
        for number, text in enumerate(texts)
    )
    part = f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W_NS}">{comments}</w:comments>'
    return add_part(data, "comments.xml", part.encode(), COMMENTS_TYPE, f"{REL_NS}/comments")


def zipped(files):
    """A zip of ``{name: bytes}``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def simple_docx():
    """A short, valid manuscript: a heading, a paragraph and an image with its description."""

    def build(document):
        document.add_heading("Une section", 1)
        document.add_paragraph("Le texte de la contribution.")
        document.add_picture(io.BytesIO(png_bytes()))
        document.inline_shapes[0]._inline.docPr.set("descr", "Un carré bleu")

    return docx_bytes(build)
