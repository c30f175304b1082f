"""Word documents (.docx): checked as a package, scanned for what mammoth drops, converted by mammoth.

Tracked changes are accepted, as Word's "Accept all changes" would: insertions are
kept, deletions applied (mammoth reads a document that way); the report counts them.
Comments, drawn shapes and text boxes are left out; fields keep the text Word last
displayed for them. Nothing outside the file is ever opened: an image linked rather
than embedded refuses the whole file.
"""

import io
import logging
import re
import zipfile
from xml.etree.ElementTree import ParseError

import mammoth
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .archive import corrupt, open_archive, read_entry
from .errors import ManuscriptError
from .images import check_image

logger = logging.getLogger(__name__)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
WPG = "{http://schemas.microsoft.com/office/word/2010/wordprocessingGroup}"
V = "{urn:schemas-microsoft-com:vml}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
VML_SHAPES = {V + name for name in ("shape", "rect", "roundrect", "oval", "line", "polyline", "arc")}
MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_CONTENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
FALSE_VALUES = {"0", "false", "off"}
UNKNOWN_ELEMENT_RE = re.compile(r"^An unrecognised element was ignored: (.*)$")
SIMPLE_FIELD_RE = re.compile(rb"<w:fldSimple\b[^>]*/>|<w:fldSimple\b[^>]*>|</w:fldSimple>")
UNKNOWN_STYLE_RE = re.compile(r"^Unrecognised (?:paragraph|run) style: (.*) \(Style ID: (.*)\)$")
# Styles whose meaning mammoth reads from elsewhere (lists from their numbering).
READ_ELSEWHERE_STYLES = re.compile(r"^(List|Default Paragraph Font$|Normal$)")

STYLE_MAP = """
p[style-name='Title'] => p.manuscript-title:fresh
p[style-name='Subtitle'] => p.manuscript-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Quotations'] => blockquote > p:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Figure'] => p.caption:fresh
p[style-name='Illustration'] => p.caption:fresh
p[style-name='Bibliography'] => p:fresh
p[style-name='Body Text'] => p:fresh
p[style-name='Text Body'] => p:fresh
p[style-name='Normal (Web)'] => p:fresh
p[style-name='No Spacing'] => p:fresh
p[style-name='First Paragraph'] => p:fresh
p[style-name='Compact'] => p:fresh
p[style-name='Heading'] => h1:fresh
p[style-name='Footnote Text'] => p:fresh
p[style-name='Endnote Text'] => p:fresh
r[style-name='Strong'] => strong
r[style-name='Emphasis'] => em
r[style-name='Strong Emphasis'] => strong
r[style-name='Hyperlink'] =>
r[style-name='Internet Link'] =>
r[style-name='Footnote Reference'] =>
r[style-name='Endnote Reference'] =>
"""


def is_set(element):
    """Whether a Word on/off property (``<w:bidi/>``, ``<w:bidi w:val="0"/>``) is on."""
    return element is not None and element.get(W + "val", "1").lower() not in FALSE_VALUES


def parse_xml(data, what):
    try:
        return fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise corrupt(what) from error


def check_package(data):
    """The zip of a real .docx, or a ManuscriptError saying what the file is instead."""
    if data[:8] == OLE_SIGNATURE:
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ManuscriptError(
                _("The file is protected by a password: save it without one and try again.")
            )
        raise ManuscriptError(
            _("This is an older Word document (.doc): save it as a Word document (.docx) and try again.")
        )
    if not data.startswith(b"PK"):
        raise ManuscriptError(_("The file is not a Word document (.docx)."))
    archive = open_archive(data, _("Word document"))
    types = read_entry(archive, "[Content_Types].xml", _("list of parts"))
    if types is None:
        if read_entry(archive, "mimetype", "mimetype") == ODT_MIMETYPE:
            raise ManuscriptError(
                _("This is an OpenDocument text (.odt): save it as a Word document (.docx) and try again.")
            )
        raise ManuscriptError(_("The file is not a Word document (.docx)."))
    types_text = types.decode("utf-8", "replace")
    if MACRO_CONTENT_TYPE in types_text or "word/vbaProject.bin" in archive.namelist():
        raise ManuscriptError(
            _(
                "This Word document carries macros (.docm): save it as a plain Word document (.docx) and try again."
            )
        )
    if MAIN_CONTENT_TYPE not in types_text:
        raise ManuscriptError(_("The file is not a Word document (.docx)."))
    return archive


def read_docx(data, report):
    """``(html, images by number, texts of right-to-left paragraphs)`` for a .docx's bytes."""
    archive = check_package(data)
    document_xml = read_entry(archive, "word/document.xml", _("text"))
    if document_xml is None:
        raise corrupt(_("text"))
    document = parse_xml(document_xml, _("text"))
    refuse_linked_images(archive)
    scan_changes_and_drops(archive, document, report)
    rtl_texts = scan_languages(archive, document, report)

    images = {}

    def convert_image(image):
        number = len(images) + 1
        subtype = (image.content_type or "").rsplit("/", 1)[-1] or "bin"
        with image.open() as handle:
            content = handle.read()
        checked = check_image(number, f"image-{number}.{subtype}", content, report)
        if checked is not None:
            checked.alt = " ".join((image.alt_text or "").split())
        images[number] = checked
        return {"src": f"manuscript-image:{number}"}

    if SIMPLE_FIELD_RE.search(document_xml):
        # mammoth skips simple fields whole; unwrapped, they keep the text Word displayed.
        data = repacked(archive, "word/document.xml", SIMPLE_FIELD_RE.sub(b"", document_xml))
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(convert_image),
            external_file_access=False,
            include_embedded_style_map=False,
        )
    except ManuscriptError:
        raise
    except Exception as error:
        # mammoth meets damaged parts with whatever its reader raises (KeyError,
        # ValueError, XML errors...): any of them means the file cannot be read.
        logger.info("Manuscript refused, mammoth could not read it: %r", error)
        raise corrupt(_("text")) from error
    for message in result.messages:
        match = UNKNOWN_STYLE_RE.match(message.message)
        # A style used but not defined in the file has no name, only its identifier.
        name = match and (match.group(1) if match.group(1) != "None" else match.group(2))
        if name and not READ_ELSEWHERE_STYLES.match(name):
            report.unknown_styles[name] += 1
        match = UNKNOWN_ELEMENT_RE.match(message.message)
        if match:
            report.other_dropped[_("Word element %(name)s") % {"name": match.group(1)}] += 1
    return result.value, images, rtl_texts


def repacked(archive, name, content):
    """The archive's bytes with one part replaced (its sizes were checked when it was opened)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in archive.infolist():
            target.writestr(
                entry.filename,
                content if entry.filename == name else read_entry(archive, entry.filename, name),
            )
    return buffer.getvalue()


def refuse_linked_images(archive):
    rels = read_entry(archive, "word/_rels/document.xml.rels", _("links between parts"))
    if rels is None:
        return
    for relationship in parse_xml(rels, _("links between parts")).iter(REL + "Relationship"):
        if relationship.get("TargetMode") == "External" and relationship.get("Type", "").endswith("/image"):
            raise ManuscriptError(
                _(
                    "An image of the document is linked from outside the file (%(target)s), which is never "
                    "fetched: insert the image into the document itself and try again."
                )
                % {"target": relationship.get("Target", "")[:120]}
            )


def walk(element, skip=(MC + "Fallback",)):
    """Every element under ``element``, leaving out the fallback copies of mc:AlternateContent."""
    for child in element:
        if child.tag in skip:
            continue
        yield child
        yield from walk(child, skip)


def scan_changes_and_drops(archive, document, report):
    comments = read_entry(archive, "word/comments.xml", _("comments"))
    if comments is not None:
        report.comments = sum(1 for _element in parse_xml(comments, _("comments")).iter(W + "comment"))
    instructions = []
    for element in walk(document):
        tag = element.tag
        if tag == W + "ins":
            report.insertions += 1
        elif tag == W + "del":
            report.deletions += 1
        elif tag in (W + "moveFrom", W + "moveTo"):
            report.moves += tag == W + "moveTo"
        elif tag in (W + "rPrChange", W + "pPrChange"):
            report.formatting_changes += 1
        elif tag == W + "fldSimple":
            instructions.append(element.get(W + "instr", ""))
        elif tag == W + "fldChar" and element.get(W + "fldCharType") == "begin":
            instructions.append(None)
        elif tag == W + "instrText" and instructions and instructions[-1] is None:
            instructions[-1] = element.text or ""
        elif tag in (WPS + "wsp", WPG + "wgp") or (
            tag in VML_SHAPES and element.find(V + "imagedata") is None
        ):
            report.shapes += 1
    report.fields = sum(
        1 for text in instructions if not (text or "").strip().upper().startswith("HYPERLINK")
    )


def scan_languages(archive, document, report):
    """Counts the characters of each language the text is marked with; returns the right-to-left paragraphs' texts."""
    default, default_bidi = "", ""
    styles = read_entry(archive, "word/styles.xml", _("styles"))
    if styles is not None:
        lang = parse_xml(styles, _("styles")).find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        if lang is not None:
            default, default_bidi = lang.get(W + "val", ""), lang.get(W + "bidi", "")
    rtl_texts = []
    for paragraph in document.iter(W + "p"):
        bidi = is_set(paragraph.find(f"{W}pPr/{W}bidi"))
        texts = []
        for run in paragraph.iter(W + "r"):
            text = "".join(t.text or "" for t in run.iter(W + "t"))
            if not text.strip():
                continue
            texts.append(text)
            properties = run.find(W + "rPr")
            lang = properties.find(W + "lang") if properties is not None else None
            rtl = bidi or (properties is not None and is_set(properties.find(W + "rtl")))
            if lang is not None:
                tag = (lang.get(W + "bidi") if rtl else None) or lang.get(W + "val") or ""
            else:
                tag = (default_bidi if rtl else "") or default
            if tag:
                report.languages[tag] += len(text.strip())
        if bidi and texts:
            report.rtl_paragraphs += 1
            rtl_texts.append("".join(texts))
    return rtl_texts
