"""A chapter body as a list of typed blocks (``type``, ``id``, ``value``).

Blocks are read from the stored JSON rather than through StreamField's
``to_python``, so that the images of every block are loaded with the rest of
the response's images in one batch instead of once per stream. Their URLs go
through the book's allow-list: an address it refuses comes out as "".
"""

from django.utils.text import slugify

from book.links import public_url_or_empty
from book.text import note_anchor, note_numbers, note_reference_anchor

from .embeds import EmbedBatch

# The anchor of a heading whose text gives no letter or digit to make one of.
UNNAMED_SECTION = "section"


def heading_anchors(raw_blocks, notes):
    """``{block id: anchor}`` for each heading: the slug of its text, unique within the chapter.

    Made from the text alone, and made unique by the order of the headings that share a
    text ("context", "context-2"), so the same chapter saved again, or with other blocks
    added, moved or edited, keeps its anchors; only a heading whose text changes, or a new
    heading of the same text before it, moves. The ids of the notes are never taken.
    """
    taken = {anchor for number in notes for anchor in (note_anchor(number), note_reference_anchor(number))}
    anchors = {}
    for block in raw_blocks:
        if block.get("type") != "heading":
            continue
        base = slugify((block.get("value") or {}).get("text") or "", allow_unicode=True) or UNNAMED_SECTION
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        anchors[block.get("id") or ""] = anchor
    return anchors


def collect(raw_blocks, rich_text, images, embeds=None):
    """Register every reference of a body with the response's batches."""
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            rich_text.collect(value)
        elif kind == "interview":
            rich_text.collect((value or {}).get("answer"))
        elif kind == "note":
            rich_text.collect((value or {}).get("text"))
        elif kind == "image":
            images.add((value or {}).get("image"))
        elif kind == "embed" and embeds is not None:
            embeds.add((value or {}).get("url"))


def serialize(raw_blocks, rich_text, images, embeds=None, untranslated=(), source_language=None):
    """The body's blocks as the API gives them, in order.

    A block whose id is in ``untranslated`` still holds text in the source
    language (a partly published translation): it says so with ``lang``.
    """
    notes = note_numbers(raw_blocks)
    anchors = heading_anchors(raw_blocks, notes)
    referenced = set()
    result = []
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            value = rich_text.render(value, notes=notes, referenced=referenced)
        else:
            value = dict(value or {})
            if kind == "heading":
                value = {
                    "level": value.get("level") or "h2",
                    "text": value.get("text") or "",
                    "anchor": anchors[block.get("id") or ""],
                }
            elif kind == "quote":
                value = {"text": value.get("text") or "", "attribution": value.get("attribution") or ""}
            elif kind == "image":
                value = {
                    # The block's alt text and credit are the image's: given once, there.
                    "image": images.serialize(
                        value.get("image"), alt=value.get("alt_text"), credit=value.get("credit")
                    ),
                    "caption": value.get("caption") or "",
                }
            elif kind == "embed":
                url = public_url_or_empty(value.get("url"))
                value = {
                    "url": url,
                    "title": value.get("title") or "",
                    "caption": value.get("caption") or "",
                    **(embeds or EmbedBatch()).describe(url),
                }
            elif kind == "note":
                number = value.get("number")
                value = {
                    "number": number,
                    "anchor": note_anchor(number),
                    "reference_anchor": note_reference_anchor(number),
                    "text": rich_text.render(value.get("text")),
                }
            elif kind == "bibliography_entry":
                value = {
                    "author": value.get("author") or "",
                    "title": value.get("title") or "",
                    "publisher": value.get("publisher") or "",
                    "year": value.get("year"),
                    "url": public_url_or_empty(value.get("url")),
                }
            elif kind == "interview":
                value = {
                    "question": value.get("question") or "",
                    "answer": rich_text.render(value.get("answer"), notes=notes, referenced=referenced),
                }
            else:
                # A block type the body no longer offers: old content the schema cannot describe.
                continue
        serialized = {"type": kind, "id": block.get("id") or "", "value": value}
        if block.get("id") in untranslated:
            serialized["lang"] = source_language
        result.append(serialized)
    return result
