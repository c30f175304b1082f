"""The PDF of an edition: one printable HTML document laid out by WeasyPrint.

``render_pdf(printable)`` turns the edition's HTML (``editions.html.edition_html``) into a
tagged PDF (PDF/UA-1 structure tags, one language for the whole document), with the fonts
that come with the project embedded, page numbers in the table of contents, footnotes at the
foot of their page, running heads and folios. The print stylesheet (``print.css``) reads the
document's structure (DPUB-ARIA roles or classes: cover, title page, colophon, ``nav`` table of
contents linking to ``#ids``, parts, chapters, ``aside.footnote`` right after the paragraph
that calls it, figures with captions, ``lang`` on passages in another language).

Fonts: Noto Serif (Latin, Greek, Cyrillic), Amiri (Arabic) and Noto Serif SC, from the
npm packages listed in ``editions/fonts/package.json`` (OFL-1.1), installed by ``make
install``. The layout sees those fonts and no others: fonts installed on the machine are
left out, so the same edition gives the same bytes on every machine, and a character that
none of them has is reported, never drawn from whatever the machine happens to have.

Nothing is fetched from the network: the URL fetcher serves the bundled fonts and hands
``edition-image:`` addresses to the printable's own fetcher; anything else is refused.
"""

import logging
import re
import struct
import threading
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

EDITIONS_DIR = Path(__file__).resolve().parent
FONTS_DIR = EDITIONS_DIR / "fonts" / "node_modules" / "@fontsource"
PRINT_CSS = EDITIONS_DIR / "print.css"

FONT_SCHEME = "edition-font:"
IMAGE_SCHEME = "edition-image:"

# (npm package, the package's stylesheets to use, the subsets kept). Each stylesheet is
# the package's own @font-face rules for one weight and style, split by unicode-range.
FONT_PACKAGES = (
    ("noto-serif", ("400.css", "400-italic.css", "700.css", "700-italic.css"), None),
    # Amiri rather than Noto Naskh Arabic: Noto's Arabic fonts draw a letter as a shared
    # skeleton plus its dots, and a PDF maps each glyph to one text, so their Arabic could
    # not be copied, searched or read aloud from the PDF; Amiri's can.
    ("amiri", ("400.css", "700.css"), ("arabic",)),
    ("noto-serif-sc", ("400.css", "700.css"), None),
)
FONTS_VERSION = "5.3.0"
# Which fonts set which text: the document's, then Arabic and Chinese text in their own face first.
FONT_STACKS = (
    ("html", ("noto-serif", "amiri", "noto-serif-sc")),
    (":lang(ar), :lang(fa), :lang(ur)", ("amiri", "noto-serif", "noto-serif-sc")),
    (":lang(zh), :lang(ja)", ("noto-serif-sc", "noto-serif", "amiri")),
)
INSTALL_HINT = "run `make install`, which installs them with npm from editions/fonts/package.json"

# Page numbers (folios, table of contents) in the digits of the edition's language.
NUMBERING = {"ar": "arabic-indic", "fa": "persian", "ur": "persian"}
_HTML_LANG_RE = re.compile(r"<html[^>]*?\slang=[\"']?(?P<lang>[A-Za-z]+)", re.I)

# Characters the stylesheet itself may draw (folios, counters, leaders, note calls).
GENERATED_CHARACTERS = "0123456789.,:;–—·…()[]/- "

logger = logging.getLogger(__name__)


class FontsMissing(RuntimeError):
    """The fonts the PDF needs are not installed; the message says which and how to install them."""


@dataclass(frozen=True)
class FontFace:
    package: str
    file: str  # under the package's files/
    family: str
    style: str
    weight: str
    ranges: tuple[tuple[int, int], ...]  # the package's unicode-range for this file

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.package / "files" / self.file

    @property
    def codepoints(self) -> frozenset[int]:
        """The characters this file really draws: in its unicode-range and in its character map."""
        return _coverage(self)

    @property
    def subset(self) -> str:
        """The part of the font this file holds, from its name: ``latin-ext``, ``arabic``, ``57``."""
        stem = self.file.removeprefix(f"{self.package}-").rsplit(".", 1)[0]
        return stem.rsplit("-", 2)[0]

    @property
    def css_family(self) -> str:
        # One family per file: WeasyPrint keys the fonts it embeds by family, weight and style,
        # so files of one family split by unicode-range would be embedded as one font, and
        # the glyphs of all but the first drawn from the wrong file.
        return f"{self.family.strip(chr(39))} {self.subset}"

    def rule(self) -> str:
        # The unicode-range written is what the file draws: fontconfig takes the range as the
        # font's coverage, and the packages' ranges claim some characters their files lack
        # (Noto Serif's Latin file claims U+2010 HYPHEN), which would then come out as .notdef.
        return (
            f"@font-face {{ font-family: '{self.css_family}'; font-style: {self.style}; font-weight: {self.weight}; "
            f"src: url({FONT_SCHEME}{self.package}/{self.file}); unicode-range: {_format_ranges(self.codepoints)}; }}"
        )


@cache
def _coverage(face: FontFace) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    cmap = TTFont(face.path, lazy=True)["cmap"].getBestCmap()
    ranges = sorted(face.ranges)
    starts = [start for start, _end in ranges]

    def in_range(cp):
        index = bisect_right(starts, cp) - 1
        return index >= 0 and cp <= ranges[index][1]

    return frozenset(filter(in_range, cmap))


def _format_ranges(codepoints: frozenset[int]) -> str:
    ranges = []
    for cp in sorted(codepoints):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


_FONT_FACE_RE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}", re.S)
_DESCRIPTOR_RE = re.compile(r"(?P<name>[a-z-]+)\s*:\s*(?P<value>[^;]+);")
_WOFF_RE = re.compile(r"url\(\./files/(?P<file>[^)]+\.woff)\)")


def _parse_ranges(value: str) -> tuple[tuple[int, int], ...]:
    ranges = []
    for item in value.split(","):
        item = item.strip().upper().removeprefix("U+")
        if "-" in item:
            start, end = item.split("-")
        elif "?" in item:
            start, end = item.replace("?", "0"), item.replace("?", "F")
        else:
            start = end = item
        ranges.append((int(start, 16), int(end, 16)))
    return tuple(ranges)


def _read_package_faces(package: str, stylesheets, subsets) -> list[FontFace]:
    faces = []
    for stylesheet in stylesheets:
        text = (FONTS_DIR / package / stylesheet).read_text(encoding="utf-8")
        for match in _FONT_FACE_RE.finditer(text):
            descriptors = {m["name"]: m["value"].strip() for m in _DESCRIPTOR_RE.finditer(match["body"])}
            file = _WOFF_RE.search(descriptors["src"])["file"]
            if subsets is not None and not any(file.startswith(f"{package}-{subset}-") for subset in subsets):
                continue
            ranges = _parse_ranges(descriptors.get("unicode-range", "U+0-10FFFF"))
            faces.append(
                FontFace(
                    package=package,
                    file=file,
                    family=descriptors["font-family"],
                    style=descriptors["font-style"],
                    weight=descriptors["font-weight"],
                    ranges=ranges,
                )
            )
    return faces


def missing_fonts() -> list[str]:
    """What the PDF needs and is not installed, as readable lines (empty when all is there)."""
    missing = []
    for package, stylesheets, _subsets in FONT_PACKAGES:
        folder = FONTS_DIR / package
        if not folder.is_dir():
            missing.append(f"npm package @fontsource/{package}@{FONTS_VERSION} (no {_shown(folder)})")
            continue
        for stylesheet in stylesheets:
            if not (folder / stylesheet).is_file():
                missing.append(f"@fontsource/{package}: {stylesheet}")
    if not missing:
        for face in _all_faces():
            if not face.path.is_file():
                missing.append(f"@fontsource/{face.package}: files/{face.file}")
    return missing


def _shown(path: Path) -> str:
    return (
        str(path.relative_to(EDITIONS_DIR.parent)) if path.is_relative_to(EDITIONS_DIR.parent) else str(path)
    )


@cache
def _all_faces() -> tuple[FontFace, ...]:
    faces = []
    for package, stylesheets, subsets in FONT_PACKAGES:
        faces.extend(_read_package_faces(package, stylesheets, subsets))
    return tuple(faces)


def check_fonts() -> None:
    """Raise ``FontsMissing`` naming every missing font package or file."""
    missing = missing_fonts()
    if missing:
        raise FontsMissing(
            "The PDF edition cannot be built: fonts are missing: "
            + "; ".join(missing)
            + f". To install them, {INSTALL_HINT}."
        )


def font_css(text: str) -> str:
    """The @font-face rules for the fonts that draw ``text``'s characters (and no others).

    The packages split each font into files by unicode-range; only the files covering a
    character of the document are declared, so a Latin edition never loads the Chinese
    font, and a Chinese one only the parts of it that it uses. The Chinese font also has
    Latin letters and punctuation: those parts are loaded only when the document has
    Chinese text, which sets them in it.
    """
    codepoints = frozenset(ord(c) for c in set(text) | set(GENERATED_CHARACTERS))
    faces = _all_faces()
    if not any(_is_cjk(cp) for cp in codepoints):
        covered = frozenset().union(*(face.codepoints for face in faces if face.package != "noto-serif-sc"))
        cjk_codepoints = codepoints - covered
    else:
        cjk_codepoints = codepoints
    used = [
        face
        for face in faces
        if not face.codepoints.isdisjoint(cjk_codepoints if face.package == "noto-serif-sc" else codepoints)
    ]
    rules = [face.rule() for face in used]
    for selector, packages in FONT_STACKS:
        families = dict.fromkeys(
            f"'{face.css_family}'" for package in packages for face in used if face.package == package
        )
        rules.append(f"{selector} {{ font-family: {', '.join(families)}; }}")
    return "\n".join(rules)


def numbering_css(html: str) -> str:
    """Folios and table-of-contents numbers in the digits of the document's language, if not 0-9."""
    match = _HTML_LANG_RE.search(html)
    style = NUMBERING.get(match["lang"].lower()) if match else None
    if style is None:
        return ""
    return (
        f"@page {{ @bottom-center {{ content: counter(page, {style}); }} }}\n"
        f'nav.toc a[href^="#"]::after, nav[role="doc-toc"] a[href^="#"]::after '
        f'{{ content: leader(".") target-counter(attr(href url), page, {style}); }}'
    )


def _is_cjk(codepoint: int) -> bool:
    return (
        0x2E80 <= codepoint <= 0x9FFF  # radicals, CJK punctuation, kana, ideographs
        or 0xF900 <= codepoint <= 0xFAFF
        or 0xFF00 <= codepoint <= 0xFFEF
        or 0x20000 <= codepoint <= 0x3FFFF
    )


@lru_cache(maxsize=1024)
def _sfnt(path: Path) -> bytes:
    """The OpenType font inside a WOFF 1.0 file (zlib-compressed tables, decoded as they are).

    WeasyPrint would decode it with fontTools, which rebuilds every table: ten times slower
    on the Chinese font's files, and paid again at each build.
    """
    data = path.read_bytes()
    signature, flavor, _length, num_tables = struct.unpack_from(">4sIIH", data)
    if signature != b"wOFF":
        raise ValueError(f"Not a WOFF font: {path.name}")
    tables = []
    for index in range(num_tables):
        tag, offset, comp_length, orig_length, checksum = struct.unpack_from(">4sIIII", data, 44 + 20 * index)
        table = data[offset : offset + comp_length]
        if comp_length < orig_length:
            table = zlib.decompress(table)
        tables.append((tag, checksum, table))
    entry_selector = max(num_tables.bit_length() - 1, 0)
    search_range = 16 * (1 << entry_selector)
    header = struct.pack(
        ">IHHHH", flavor, num_tables, search_range, entry_selector, num_tables * 16 - search_range
    )
    directory, body = [], []
    offset = 12 + 16 * num_tables
    for tag, checksum, table in tables:
        directory.append(struct.pack(">4sIII", tag, checksum, offset, len(table)))
        padded = table + b"\0" * (-len(table) % 4)
        body.append(padded)
        offset += len(padded)
    return header + b"".join(directory) + b"".join(body)


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class EditionURLFetcher(URLFetcher):
        """Serves the bundled fonts and the edition's images; refuses every other address."""

        def __init__(self, fetch_image):
            super().__init__(allowed_protocols=())
            self.fetch_image = fetch_image

        def fetch(self, url, headers=None):
            if url.startswith(FONT_SCHEME):
                relative = url.removeprefix(FONT_SCHEME)
                package, _, file = relative.partition("/")
                path = (FONTS_DIR / package / "files" / file).resolve()
                if not path.is_relative_to(FONTS_DIR.resolve()) or not path.is_file():
                    raise ValueError(f"No such bundled font: {url}")
                return URLFetcherResponse(url, _sfnt(path), {"Content-Type": "font/sfnt"})
            if url.startswith(IMAGE_SCHEME):
                return _as_response(url, self.fetch_image(url))
            raise ValueError(f"An edition fetches nothing outside itself: {url} refused")

    return EditionURLFetcher


def _as_response(url, result):
    """Accept what an image fetcher returns: a response, a WeasyPrint-style dict, or bytes."""
    from weasyprint.urls import URLFetcherResponse

    if isinstance(result, URLFetcherResponse):
        return result
    if isinstance(result, bytes | bytearray):
        return URLFetcherResponse(url, bytes(result))
    if isinstance(result, dict):
        body = result.get("string")
        if body is None and result.get("file_obj") is not None:
            body = result["file_obj"].read()
        if body is None and result.get("filename"):
            body = Path(result["filename"]).read_bytes()
        headers = {"Content-Type": result["mime_type"]} if result.get("mime_type") else None
        return URLFetcherResponse(result.get("redirected_url", url), body, headers)
    raise TypeError(f"The image fetcher returned {type(result).__name__} for {url}")


def _isolated_font_configuration():
    """A WeasyPrint font configuration that knows only the fonts the document declares.

    WeasyPrint's own starts from the machine's fontconfig setup (every installed font); this
    one starts from an empty fontconfig configuration, to which the @font-face rules add the
    bundled fonts.
    """
    from weasyprint.text import fonts as wp_fonts
    from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2

    own = _fontconfig_create()

    class IsolatedFontConfiguration(wp_fonts.FontConfiguration):
        def __init__(self):
            self._folder = None
            self._config = ffi.cast("FcConfig *", int(own.ffi.cast("uintptr_t", own.lib.FcConfigCreate())))
            self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
            pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), self._config)
            # The font map keeps its own reference to the configuration.
            fontconfig.FcConfigDestroy(self._config)
            self.strut_layouts = {}
            self.font_features = {}

    return IsolatedFontConfiguration()


@cache
def _fontconfig_create():
    import cffi

    own_ffi = cffi.FFI()
    own_ffi.cdef("typedef struct _FcConfig FcConfig; FcConfig * FcConfigCreate (void);")
    lib = own_ffi.dlopen("libfontconfig.so.1")

    @dataclass(frozen=True)
    class Fontconfig:
        ffi: object
        lib: object

    return Fontconfig(own_ffi, lib)


class _NotdefCollector(logging.Handler):
    """Collects WeasyPrint's reports of characters drawn as .notdef (no font has them)."""

    PATTERN = re.compile(r"\.notdef glyph rendered .*\(U\+(?P<code>[0-9A-F]+)\)")

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.codepoints = set()

    def emit(self, record):
        if record.thread != self.thread:
            return
        match = self.PATTERN.search(record.getMessage())
        if match:
            self.codepoints.add(int(match["code"], 16))


# Fontconfig and Pango's font maps are not shared across threads safely; one layout at a time.
_LAYOUT_LOCK = threading.Lock()


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    missing_characters: tuple[str, ...]  # characters drawn as .notdef: no bundled font has them

    @property
    def warnings(self) -> tuple[str, ...]:
        if not self.missing_characters:
            return ()
        shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in self.missing_characters)
        return (f"No font of the PDF edition has these characters, drawn as empty boxes: {shown}",)


def render(printable) -> RenderedPdf:
    """Lay out ``printable`` (an ``editions.formats.Printable``) as a tagged PDF."""
    check_fonts()
    from weasyprint import CSS, HTML
    from weasyprint.logger import LOGGER

    fetcher = _url_fetcher_class()(printable.url_fetcher)
    stylesheet_text = PRINT_CSS.read_text(encoding="utf-8") + "\n" + numbering_css(printable.html)
    collector = _NotdefCollector()
    with _LAYOUT_LOCK:
        font_config = _isolated_font_configuration()
        LOGGER.addHandler(collector)
        try:
            fonts = CSS(
                string=font_css(printable.html + stylesheet_text),
                font_config=font_config,
                url_fetcher=fetcher,
            )
            layout = CSS(string=stylesheet_text, font_config=font_config, url_fetcher=fetcher)
            document = HTML(string=printable.html, url_fetcher=fetcher, base_url="edition:/").render(
                font_config=font_config, stylesheets=[fonts, layout], pdf_variant="pdf/ua-1"
            )
            data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True)
        finally:
            LOGGER.removeHandler(collector)
    missing = tuple(sorted(chr(cp) for cp in collector.codepoints))
    if missing:
        logger.warning("PDF edition: characters missing from every bundled font: %s", "".join(missing))
    return RenderedPdf(data=data, missing_characters=missing)


def render_pdf(printable) -> bytes:
    """The PDF bytes of ``printable``; the same document always gives the same bytes."""
    return render(printable).data


def build_pdf(book_page):
    """The PDF edition of ``book_page``'s language (``editions.formats.Built``)."""
    from editions.formats import Built
    from editions.html import edition_html

    printable = edition_html(book_page)
    rendered = render(printable)
    return Built(
        data=rendered.data,
        complete=printable.complete,
        warnings=tuple(printable.warnings) + rendered.warnings,
    )
