"""From the HTML a converter wrote (mammoth for Word, markdown-it for Markdown) to chapter blocks.

Both converters give the same shapes: headings h1–h6, paragraphs, lists, blockquotes,
images as ``<img src="manuscript-image:N">``, paragraphs of class ``caption``, notes as
list items whose id the text's references point to. What the book's blocks hold is
kept, in Wagtail's stored rich-text format; the rest is dropped and reported.

Conventions, documented for contributors:

- Headings keep their order of levels: the highest level used becomes h2, the next h3,
  the rest h4.
- A quotation (Word's Quote or Intense Quote style, Markdown's ``>``) whose last line,
  or the paragraph right after it, starts with a dash (— – -) takes that line as its
  attribution.
- An image takes the caption (Word's Caption style, or the Markdown image's title) right
  before or after it; a part of the caption starting with ©, "Photo", "Crédit" or
  "Credit" becomes the image's credit.
- A heading named Bibliography, Bibliographie, References, Références (and a few
  others) opens a bibliography: each paragraph or list item under it, up to the next
  heading of the same or a higher level, is read as "Author (Year). Title. Publisher.
  URL" or "Author, Title, Publisher, Year", the title in italics where it is; what cannot
  be read is kept as a paragraph and reported.
- An interview is written as paragraphs starting with "Q:" (or "Question :") for the
  questions and "A:" / "R:" (or "Answer:" / "Réponse :") for the answers; an answer runs
  until the next question or heading.
"""

import re
import unicodedata

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.html import escape

from book.links import url_problem

IMAGE_SRC_RE = re.compile(r"^manuscript-image:(\d+)$")
NOTE_ID_RE = re.compile(r"^(?:footnote|endnote|fn)-?(\d+)$")
BIBLIOGRAPHY_HEADINGS = {
    "bibliography",
    "bibliographie",
    "references",
    "références",
    "références bibliographiques",
    "bibliographical references",
    "works cited",
    "referencias",
    "bibliografía",
    "bibliografia",
    "literatur",
}
QUESTION_RE = re.compile(r"^\s*(?:Q|Question)\s*[:.–—]\s*", re.IGNORECASE)
ANSWER_RE = re.compile(r"^\s*(?:A|R|Answer|Réponse|Reponse)\s*[:.–—]\s*", re.IGNORECASE)
ATTRIBUTION_RE = re.compile(r"^\s*[—–-]\s*(\S.*)$", re.DOTALL)
CREDIT_RE = re.compile(
    r"(?:^|[\s.;,(—–-])\s*((?:©|\(c\)|Photo\s*:|Photo\s+by|Crédits?\s*:|Credits?\s*:).*)$", re.IGNORECASE
)
SENTENCE_SPLIT_RE = re.compile(r"(?<!\b\w)\.\s+")
PAREN_YEAR_RE = re.compile(r"\s*\(\s*(?:1\d{3}|20\d{2}|2100)[a-z]?\s*\)\s*[.,:]?\s*")
YEAR_RE = re.compile(r"\b(1\d{3}|20\d{2}|2100)\b")
URL_RE = re.compile(r"https?://\S+[^\s.,;)]")
RICH_TAGS = {"strong": "b", "b": "b", "em": "i", "i": "i", "sup": "sup", "sub": "sub"}
RTL_ISOLATE, POP_ISOLATE = "\u2067", "\u2069"
HEADING_MAX = 255


def plain(node):
    """The text of a node with its whitespace made single spaces."""
    text = node.get_text() if isinstance(node, Tag) else str(node)
    return " ".join(text.split())


def normalised(text):
    return unicodedata.normalize("NFC", " ".join(text.split())).strip()


class Structurer:
    """Walks the converter's HTML once and gathers blocks, notes and images."""

    def __init__(self, html, images, report, rtl_texts=()):
        self.soup = BeautifulSoup(html, "html.parser")
        self.images = images  # number -> ManuscriptImage or None (dropped)
        self.report = report
        self.rtl_texts = {normalised(text) for text in rtl_texts if text.strip()}
        self.blocks = []
        self.pending_rich = []  # HTML of paragraphs and lists waiting to become one paragraph block
        self.note_numbers = {}  # the converter's note id -> our number
        self.note_html = {}
        self.bibliography_level = None
        self.last_quote = None
        self.used_images = set()
        self.previous_caption = None

    # The whole walk

    def run(self):
        self.collect_notes()
        self.number_note_references()
        top = list(self.top_level(self.soup))
        levels = sorted(
            {
                int(node.name[1])
                for node in top
                if isinstance(node, Tag) and re.fullmatch(r"h[1-6]", node.name)
            }
        )
        self.level_map = {level: f"h{min(2 + index, 4)}" for index, level in enumerate(levels)}
        self.report.headings = dict(self.level_map)
        for node in top:
            self.visit(node)
        self.flush()
        for image in self.images.values():
            if image is not None and image.number not in self.used_images:
                self.add_image(image, caption="", next_caption=False)
        for original, number in sorted(self.note_numbers.items(), key=lambda item: item[1]):
            text = self.note_html.get(original)
            if text is not None:
                self.blocks.append({"type": "note", "value": {"number": number, "text": text}})
                self.report.notes += 1
        for block in self.blocks:
            self.report.blocks[block["type"]] += 1
        return self.blocks

    def top_level(self, root):
        """The block-level nodes in order; containers without meaning of their own are opened."""
        for node in list(root.children):
            if isinstance(node, NavigableString):
                if node.strip():
                    wrapper = self.soup.new_tag("p")
                    wrapper.string = str(node)
                    yield wrapper
                continue
            if node.name in ("section", "div", "article", "body", "html"):
                yield from self.top_level(node)
            else:
                yield node

    # Notes

    def collect_notes(self):
        for item in self.soup.find_all("li", id=NOTE_ID_RE):
            for backref in item.find_all("a", href=True):
                if backref["href"].startswith("#"):
                    backref.decompose()
            self.note_html[item["id"]] = self.rich(item, note=True)
            parent = item.parent
            item.decompose()
            if parent is not None and parent.name == "ol" and not parent.find("li"):
                parent.decompose()
        for separator in self.soup.find_all("hr", class_="footnotes-sep"):
            separator.decompose()

    def number_note_references(self):
        for link in self.soup.find_all("a", href=True):
            target = link["href"][1:] if link["href"].startswith("#") else None
            if target in self.note_html:
                number = self.note_numbers.setdefault(target, len(self.note_numbers) + 1)
                marker = link.parent if link.parent is not None and link.parent.name == "sup" else link
                marker.replace_with(NavigableString(f"[^{number}]"))
        for original in self.note_html:
            self.note_numbers.setdefault(original, len(self.note_numbers) + 1)

    # Blocks

    def visit(self, node):
        name = node.name
        if re.fullmatch(r"h[1-6]", name):
            self.heading(node, int(name[1]))
        elif name == "blockquote":
            self.flush()
            self.quote(node)
            return
        elif name == "p":
            self.paragraph(node)
        elif name in ("ul", "ol"):
            if self.bibliography_level is not None:
                for item in node.find_all("li", recursive=False):
                    self.bibliography_entry(item)
            else:
                self.pending_rich.append(self.rich_fragment(node))
        elif name == "table":
            self.report.tables += 1
            for cell_paragraph in node.find_all(["p", "li"]) or [node]:
                if plain(cell_paragraph):
                    self.pending_rich.append(f"<p>{self.rich_inline(cell_paragraph)}</p>")
        elif name in ("hr", "br"):
            pass
        elif plain(node) or node.find("img"):
            self.paragraph(node)
        self.last_quote = None

    def flush(self):
        if self.pending_rich:
            self.blocks.append({"type": "paragraph", "value": "".join(self.pending_rich)})
            self.pending_rich = []

    def heading(self, node, level):
        self.flush()
        text = plain(node)
        if not text:
            return
        if self.bibliography_level is not None and level <= self.bibliography_level:
            self.bibliography_level = None
        if normalised(text).lower().rstrip(" :") in BIBLIOGRAPHY_HEADINGS:
            self.bibliography_level = level
        if len(text) > HEADING_MAX:
            self.pending_rich.append(f"<p><b>{escape(text)}</b></p>")
            self.flush()
            return
        self.blocks.append({"type": "heading", "value": {"level": self.level_map[level], "text": text}})

    def paragraph(self, node):
        classes = node.get("class") or []
        if "manuscript-title" in classes or "manuscript-subtitle" in classes:
            if not self.report.title and "manuscript-title" in classes:
                self.report.title = plain(node)
            else:
                self.report.other_dropped[plain(node)[:80]] += 1
            return
        images = list(node.find_all("img"))
        if images:
            self.paragraph_images(node, images)
            return
        text = plain(node)
        if not text:
            return
        if "caption" in classes:
            self.caption(text)
            return
        if self.last_quote is not None and not self.last_quote["value"]["attribution"]:
            match = ATTRIBUTION_RE.match(text)
            if match:
                self.last_quote["value"]["attribution"] = match.group(1).strip()[:255]
                self.report.quote_attributions += 1
                self.last_quote = None
                return
        if self.bibliography_level is not None:
            self.bibliography_entry(node)
            return
        question = QUESTION_RE.match(text)
        if question:
            self.flush()
            self.blocks.append(
                {"type": "interview", "value": {"question": text[question.end() :], "answer": ""}}
            )
            self.report.interviews += 1
            return
        last = self.blocks[-1] if self.blocks and not self.pending_rich else None
        if last is not None and last["type"] == "interview" and not re.match(r"h[1-6]", node.name):
            if ANSWER_RE.match(text) and not last["value"]["answer"]:
                last["value"]["answer"] += self.strip_prefix(node, ANSWER_RE)
            else:
                last["value"]["answer"] += self.rich_fragment(node)
            return
        self.pending_rich.append(self.rich_fragment(node))

    def strip_prefix(self, node, pattern):
        """The paragraph's rich text without the prefix ``pattern`` finds at its start ("A:")."""
        match = pattern.match(node.get_text())
        remaining = match.end() if match else 0
        for string in list(node.find_all(string=True)):
            if remaining <= 0:
                break
            text = str(string)
            cut = min(len(text), remaining)
            string.replace_with(NavigableString(text[cut:]))
            remaining -= cut
        return self.rich_fragment(node)

    def paragraph_images(self, node, images):
        self.flush()
        for img in images:
            match = IMAGE_SRC_RE.match(img.get("src", ""))
            image = self.images.get(int(match.group(1))) if match else None
            if image is None or image.number in self.used_images:
                continue
            image.alt = " ".join((img.get("alt") or image.alt or "").split())[:255]
            caption = img.get("title") or ""
            self.add_image(image, caption=caption, next_caption=not caption)
            img.decompose()
        rest = plain(node)
        if rest:
            if "caption" in (node.get("class") or []):
                self.caption(rest)
            else:
                self.pending_rich.append(self.rich_fragment(node))

    def add_image(self, image, caption, next_caption):
        self.used_images.add(image.number)
        value = {"image": None, "alt_text": image.alt, "caption": "", "credit": "", "_image": image.number}
        block = {"type": "image", "value": value, "_awaits_caption": next_caption}
        self.blocks.append(block)
        self.report.images += 1
        if not image.alt:
            self.report.images_without_alt.append(image.number)
        if caption:
            self.set_caption(block, caption)
        elif self.previous_caption is not None:
            self.set_caption(block, self.previous_caption)
            self.previous_caption = None

    def caption(self, text):
        """A caption after its image goes to it; one before an image waits for it."""
        self.flush()
        last = self.blocks[-1] if self.blocks else None
        if last is not None and last["type"] == "image" and last.get("_awaits_caption"):
            self.set_caption(last, text)
            last["_awaits_caption"] = False
        else:
            self.previous_caption = text

    def set_caption(self, block, text):
        credit = CREDIT_RE.search(text)
        if credit:
            block["value"]["credit"] = credit.group(1).strip()[:255]
            text = text[: credit.start(1)].strip(" .;,(—–-")
            self.report.credits += 1
        if text:
            block["value"]["caption"] = text[:500]
            self.report.captions += 1

    def quote(self, node):
        paragraphs = [plain(p) for p in node.find_all(["p", "li"])] or [plain(node)]
        paragraphs = [text for text in paragraphs if text]
        if not paragraphs:
            return
        attribution = ""
        if len(paragraphs) > 1:
            match = ATTRIBUTION_RE.match(paragraphs[-1])
            if match:
                attribution = match.group(1).strip()[:255]
                paragraphs.pop()
                self.report.quote_attributions += 1
        text = "\n".join(self.directed(text) for text in paragraphs)
        block = {"type": "quote", "value": {"text": text, "attribution": attribution}}
        self.blocks.append(block)
        self.last_quote = block

    # Bibliography

    def bibliography_entry(self, node):
        text = plain(node)
        if not text:
            return
        entry = read_bibliography_entry(node, text)
        if entry is None:
            self.report.bibliography_unrecognised.append(text)
            self.pending_rich.append(self.rich_fragment(node))
            return
        self.flush()
        self.blocks.append({"type": "bibliography_entry", "value": entry})
        self.report.bibliography_entries += 1

    # Rich text

    def directed(self, text):
        if normalised(text) in self.rtl_texts and not self.report.chapter_rtl:
            return f"{RTL_ISOLATE}{text}{POP_ISOLATE}"
        return text

    def rich_fragment(self, node):
        if node.name in ("ul", "ol"):
            items = "".join(
                f"<li>{self.rich_inline(item)}</li>" for item in node.find_all("li", recursive=False)
            )
            return f"<{node.name}>{items}</{node.name}>" if items else ""
        inner = self.rich_inline(node).strip()
        if normalised(plain(node)) in self.rtl_texts and not self.report.chapter_rtl:
            inner = f"{RTL_ISOLATE}{inner}{POP_ISOLATE}"
        return f"<p>{inner}</p>" if inner.strip() else ""

    def rich(self, node, note=False):
        """The HTML of a note: its paragraphs, inline formatting and links only."""
        paragraphs = node.find_all("p") or [node]
        return "".join(f"<p>{self.rich_inline(p).strip()}</p>" for p in paragraphs if plain(p))

    def rich_inline(self, node):
        out = []
        for child in node.children:
            if isinstance(child, NavigableString):
                out.append(escape(str(child).replace("\n", " ")))
            elif child.name in RICH_TAGS:
                inner = self.rich_inline(child)
                tag = RICH_TAGS[child.name]
                out.append(f"<{tag}>{inner}</{tag}>" if inner.strip() else inner)
            elif child.name == "a":
                inner = self.rich_inline(child)
                href = child.get("href") or ""
                if href and url_problem(href, mailto=True) is None:
                    out.append(f'<a href="{escape(href)}">{inner}</a>')
                else:
                    if href and not href.startswith("#"):
                        self.report.links_removed.append(href)
                    out.append(inner)
            elif child.name == "br":
                out.append("<br/>")
            elif child.name in ("ul", "ol"):
                # A list inside a list item: kept as the item's following lines.
                out.append(" ".join(self.rich_inline(item) for item in child.find_all("li", recursive=False)))
            elif child.name == "img":
                continue
            else:
                out.append(self.rich_inline(child))
        return "".join(out)


def split_segments(text):
    """The parts of a reference: by full stops (not those of initials) when there are several, else by commas."""
    parts = [part.strip(" .,;:") for part in SENTENCE_SPLIT_RE.split(text)]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        parts = [part.strip(" .,;:") for part in text.split(", ")]
    return [part for part in parts if part]


def read_bibliography_entry(node, text):
    """``{author, title, publisher, year, url}`` from one entry's text, or None when it cannot be read."""
    url = ""
    for link in node.find_all("a", href=True):
        if url_problem(link["href"]) is None:
            url = link["href"]
            break
    if not url:
        found = URL_RE.search(text)
        if found and url_problem(found.group(0)) is None:
            url = found.group(0)
    rest = URL_RE.sub("", text).strip(" .,;:")
    year_match = YEAR_RE.search(rest)
    year = int(year_match.group(1)) if year_match else None
    italic = node.find(["i", "em"])
    title = plain(italic).strip(" .,") if italic else ""
    dated = PAREN_YEAR_RE.search(rest)
    if dated:
        author = rest[: dated.start()].strip(" ,")
        parts = split_segments(rest[dated.end() :])
    else:
        parts = split_segments(rest)
        author = parts.pop(0) if parts else ""
    if not title and parts:
        title = parts.pop(0).strip('«»“”" ')
    elif title:
        holding = [index for index, part in enumerate(parts) if title in part]
        if holding:
            parts = parts[holding[0] + 1 :]
    publisher = ""
    for part in parts:
        candidate = YEAR_RE.sub("", part).strip(" .,;:()")
        if candidate and not re.fullmatch(r"(?:pp?\.?|p\.)\s*[\d–-]+", candidate):
            publisher = candidate
            break
    if not author or not title or len(author) > 255 or len(title) > 500 or len(publisher) > 255:
        return None
    return {"author": author, "title": title, "publisher": publisher, "year": year, "url": url}
