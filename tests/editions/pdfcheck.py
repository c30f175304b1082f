"""Reading a PDF edition back: which characters its embedded fonts really draw.

For every font embedded in the PDF, its ToUnicode map says which text each glyph id stands
for, and the embedded font program says whether that glyph exists: a glyph id of 0, one
past the font's glyphs (WeasyPrint's stand-in for a character no font has) or a glyph
without outline for a visible character is a .notdef box, whatever the text layer says.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import IndirectObject


@dataclass
class Glyphs:
    drawn: set[str] = field(default_factory=set)  # characters drawn by a real glyph
    notdef: list[tuple[str, str]] = field(default_factory=list)  # (font, text) drawn as .notdef
    fonts: dict[str, set[str]] = field(default_factory=dict)  # font name -> characters it draws


def _fonts(resources, seen):
    if resources is None:
        return
    resources = resources.get_object()
    for ref in (resources.get("/Font") or {}).values():
        key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
        if key not in seen:
            seen.add(key)
            yield ref.get_object()
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


_HEX = r"<([0-9A-Fa-f]+)>"


def _to_unicode(cmap: bytes) -> dict[int, str]:
    text = cmap.decode("latin-1")
    mapping = {}

    def decode(hex_text):
        data = bytes.fromhex(hex_text)
        return data.decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, uni in re.findall(_HEX + r"\s*" + _HEX, block):
            mapping[int(gid, 16)] = decode(uni)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for start, end, target in re.findall(_HEX + r"\s*" + _HEX + r"\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            start, end = int(start, 16), int(end, 16)
            if target.startswith("["):
                for offset, uni in enumerate(re.findall(_HEX, target)):
                    mapping[start + offset] = decode(uni)
            else:
                base = decode(target[1:-1])
                for offset in range(end - start + 1):
                    mapping[start + offset] = base[:-1] + chr(ord(base[-1]) + offset)
    return mapping


def font_sources(faces) -> dict[str, frozenset[int]]:
    """The characters each bundled font file draws, under the name WeasyPrint gives it in the PDF."""
    suffixes = {("400", "normal"): "", ("700", "normal"): "-Bold", ("400", "italic"): "-Italic"}
    suffixes[("700", "italic")] = "-Bold-Italic"
    return {
        face.css_family.replace(" ", "-") + suffixes[(face.weight, face.style)]: face.codepoints
        for face in faces
    }


def _has_outline(font: TTFont, gid: int) -> bool:
    name = font.getGlyphName(gid)
    if "glyf" in font:
        glyph = font["glyf"][name]
        return glyph.numberOfContours != 0
    charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
    bounds = charstrings[name].calcBounds(charstrings)
    return bounds is not None


def glyphs(pdf: bytes, sources: dict[str, frozenset[int]] | None = None) -> Glyphs:
    """What ``pdf`` draws; ``sources`` maps a font's name to the characters of its source file.

    Arabic glyphs are often shared (one skeleton for several letters, dots apart), and a
    glyph stands for one text in ToUnicode: a character counts as drawn when the file of a
    font the PDF embeds has it, since WeasyPrint writes any character its font lacks with a
    glyph id past the font's glyphs (or 0), which makes a .notdef entry here.
    """
    reader = PdfReader(io.BytesIO(pdf))
    result = Glyphs()
    seen = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), seen):
            name = str(font.get("/BaseFont"))
            if font.get("/Subtype") != "/Type0":
                raise AssertionError(f"Unexpected font type {font.get('/Subtype')} for {name}")
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if program is None:
                raise AssertionError(f"Font {name} is not embedded")
            ttfont = TTFont(io.BytesIO(program.get_object().get_data()))
            count = ttfont["maxp"].numGlyphs
            to_unicode = _to_unicode(font["/ToUnicode"].get_object().get_data())
            drawn = result.fonts.setdefault(name, set())
            source = (sources or {}).get(name.split("+", 1)[-1].replace(",", ""), frozenset())
            drawn.update(map(chr, source))
            result.drawn.update(map(chr, source))
            # A glyph shared by several characters (an Arabic letter's skeleton, its dots
            # apart) stands for one of them in ToUnicode: the font's own character map, for
            # the glyphs it kept, names the others.
            for codepoint, glyph_name in (ttfont.getBestCmap() or {}).items():
                gid = ttfont.getGlyphID(glyph_name)
                if 0 < gid < count and (chr(codepoint).isspace() or _has_outline(ttfont, gid)):
                    drawn.add(chr(codepoint))
                    result.drawn.add(chr(codepoint))
            for gid, text in to_unicode.items():
                visible = any(not (c.isspace() or unicodedata.category(c) in ("Cf", "Zs")) for c in text)
                if gid == 0 or gid >= count or (visible and not _has_outline(ttfont, gid)):
                    result.notdef.append((name, text))
                else:
                    drawn.update(text)
                    result.drawn.update(text)
    return result


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chars = set()
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "title", "style", "script"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("head", "title", "style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chars.update(data)


def visible_characters(html: str) -> set[str]:
    """The characters of the document's text (what the PDF must draw), without spaces."""
    parser = _Text()
    parser.feed(html)
    return {c for c in parser.chars if not c.isspace() and unicodedata.category(c) not in ("Cf", "Zs")}
