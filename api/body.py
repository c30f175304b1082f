"""A chapter body as a list of typed blocks (``type``, ``id``, ``value``).

Each type of block is declared once, in ``BLOCKS``: the fields of its value,
each with the serializer field that describes it and how it is read from the
stored block. The blocks the API gives out are made from that declaration, and
so is the schema's ``BodyBlock`` (``block_serializers``): a field cannot be in
one and not in the other.

Blocks are read from the stored JSON rather than through StreamField's
``to_python``, so that the images of every block are loaded with the rest of
the response's images in one batch instead of once per stream. Their URLs go
through the book's allow-list: an address it refuses comes out as "".
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from book.links import public_url_or_empty
from book.text import note_anchor, note_numbers, note_reference_anchor

from .images import Image
from .parts import RICH_TEXT_HELP
from .shapes import OrderedSerializer

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


class Body:
    """What the blocks of one body are read with: the response's batches (``api.prepare.Batches``),
    the body's notes and the anchors of its headings, and the notes already referenced."""

    def __init__(self, raw_blocks, batches):
        self.rich_text = batches.rich_text
        self.images = batches.images
        self.embeds = batches.embeds
        self.notes = note_numbers(raw_blocks)
        self.anchors = heading_anchors(raw_blocks, self.notes)
        self.referenced = set()

    def rich_text_with_notes(self, html):
        """``html`` rendered with links to its notes; only the first reference to a note in the
        body carries the anchor the note links back to."""
        return self.rich_text.render(html, notes=self.notes, referenced=self.referenced)


def _nothing_to_collect(value, batches):
    pass


@dataclass(frozen=True)
class Value:
    """A block's value, or one field of it: the serializer field that describes it, how it is
    read from the stored value (``read(value, block id, body)``), and the references to load
    with the response's batches before (``collect(value, batches)``)."""

    field: serializers.Field
    read: Callable
    collect: Callable = _nothing_to_collect


def text(name, **field):
    """Text typed in a field of the block, "" when empty."""
    return Value(serializers.CharField(**field), lambda value, _id, _body: value.get(name) or "")


def address(name, **field):
    """An address typed in a field of the block, "" when the allow-list refuses it."""
    return Value(
        serializers.CharField(**field), lambda value, _id, _body: public_url_or_empty(value.get(name))
    )


def rich_text(name, notes):
    """Rich text in a field of the block, with links to the body's notes when ``notes``."""

    def read(value, _id, body):
        html = value.get(name)
        return body.rich_text_with_notes(html) if notes else body.rich_text.render(html)

    return Value(
        serializers.CharField(help_text=RICH_TEXT_HELP),
        read,
        lambda value, batches: batches.rich_text.collect(value.get(name)),
    )


def embed_description(name, **field):
    """What the provider of the block's address said of it when the chapter was published."""
    return Value(
        serializers.CharField(**field),
        lambda value, _id, body: body.embeds.describe(public_url_or_empty(value.get("url")))[name],
    )


@dataclass(frozen=True)
class BlockType:
    """A type of block: its name (``type``) and its value, a ``Value`` or a dict of them by field."""

    name: str
    value: Value | dict

    @property
    def fields(self):
        return self.value if isinstance(self.value, dict) else None

    def collect(self, raw_value, batches):
        if self.fields is None:
            self.value.collect(raw_value, batches)
            return
        for value in self.fields.values():
            value.collect(raw_value or {}, batches)

    def represent(self, block, body):
        """The block's value as the API gives it."""
        block_id = block.get("id") or ""
        if self.fields is None:
            return self.value.read(block.get("value"), block_id, body)
        raw = dict(block.get("value") or {})
        return {name: value.read(raw, block_id, body) for name, value in self.fields.items()}

    def serializer(self):
        """The serializer that describes the block in the schema."""
        title = "".join(part.title() for part in self.name.split("_"))
        if self.fields is None:
            value_field = self.value.field
        else:
            value_field = type(
                f"{title}ValueSerializer",
                (OrderedSerializer,),
                {
                    "ordered_fields": {name: value.field for name, value in self.fields.items()},
                    "__module__": __name__,
                },
            )()
        return type(
            f"{title}BlockSerializer",
            (OrderedSerializer,),
            {
                "ordered_fields": {
                    "type": serializers.ChoiceField(choices=[self.name]),
                    "id": serializers.CharField(),
                    "value": value_field,
                    "lang": serializers.CharField(
                        required=False,
                        help_text=_(
                            "Present when the block's text is, in whole or in part, still in the source "
                            "language: that language's code. Absent otherwise: the block is in the item's "
                            "locale."
                        ),
                    ),
                },
                "__module__": __name__,
            },
        )


def _heading_anchor(_value, block_id, body):
    return body.anchors[block_id]


def _image(value, _id, body):
    # The block's alt text and credit are the image's: given once, there.
    image = body.images.serialize(value.get("image"), alt=value.get("alt_text"), credit=value.get("credit"))
    return None if image is None else image.represent()


BLOCKS = {
    block.name: block
    for block in (
        BlockType(
            "heading",
            {
                "level": Value(
                    serializers.ChoiceField(choices=["h2", "h3", "h4"]),
                    lambda value, _id, _body: value.get("level") or "h2",
                ),
                "text": text("text"),
                "anchor": Value(
                    serializers.CharField(
                        help_text=_(
                            "An id for the heading, unique within the chapter: the slug of its text, with "
                            "-2, -3... for later headings of the same text. It stays the same as long as the "
                            "heading's text does."
                        )
                    ),
                    _heading_anchor,
                ),
            },
        ),
        BlockType(
            "paragraph",
            Value(
                serializers.CharField(help_text=RICH_TEXT_HELP),
                lambda html, _id, body: body.rich_text_with_notes(html),
                lambda html, batches: batches.rich_text.collect(html),
            ),
        ),
        BlockType("quote", {"text": text("text"), "attribution": text("attribution")}),
        BlockType(
            "image",
            {
                "image": Value(
                    Image.serializer(
                        allow_null=True,
                        help_text=_("Its alt text and credit are those of this use of the image."),
                    ),
                    _image,
                    lambda value, batches: batches.images.add(value.get("image")),
                ),
                "caption": text("caption"),
            },
        ),
        BlockType(
            "embed",
            {
                "url": replace(
                    address("url"), collect=lambda value, batches: batches.embeds.add(value.get("url"))
                ),
                "title": text("title", help_text=_("The title the editors gave it; may be empty.")),
                "caption": text("caption"),
                "provider": embed_description(
                    "provider",
                    help_text=_("The name of the oEmbed provider that serves the address, e.g. YouTube."),
                ),
                "oembed_title": embed_description(
                    "oembed_title",
                    help_text=_(
                        "The title the provider gives it, asked for when the chapter was published; "
                        "empty when the provider could not be reached then. Never asked for at read time."
                    ),
                ),
                "thumbnail_url": embed_description(
                    "thumbnail_url",
                    help_text=_(
                        "The provider's thumbnail image, asked for when the chapter was published; "
                        "empty when there is none or the provider could not be reached then."
                    ),
                ),
            },
        ),
        BlockType(
            "note",
            {
                "number": Value(serializers.IntegerField(), lambda value, _id, _body: value.get("number")),
                "anchor": Value(
                    serializers.CharField(help_text=_("The id note references link to.")),
                    lambda value, _id, _body: note_anchor(value.get("number")),
                ),
                "reference_anchor": Value(
                    serializers.CharField(
                        help_text=_("The id of the first reference to the note, for a link back.")
                    ),
                    lambda value, _id, _body: note_reference_anchor(value.get("number")),
                ),
                "text": rich_text("text", notes=False),
            },
        ),
        BlockType(
            "bibliography_entry",
            {
                "author": text("author"),
                "title": text("title"),
                "publisher": text("publisher"),
                "year": Value(
                    serializers.IntegerField(allow_null=True), lambda value, _id, _body: value.get("year")
                ),
                "url": address("url"),
            },
        ),
        BlockType("interview", {"question": text("question"), "answer": rich_text("answer", notes=True)}),
    )
}


def block_serializers():
    """The serializer of each type of block, by name: what the schema's ``BodyBlock`` is made of."""
    return {name: block.serializer() for name, block in BLOCKS.items()}


def collect(raw_blocks, batches):
    """Register every reference of a body with the response's batches (``api.prepare.Batches``)."""
    for block in raw_blocks:
        block_type = BLOCKS.get(block.get("type"))
        if block_type is not None:
            block_type.collect(block.get("value"), batches)


def serialize(raw_blocks, batches, untranslated=(), source_language=None):
    """The body's blocks as the API gives them, in order.

    A block whose id is in ``untranslated`` still holds text in the source
    language (a partly published translation): it says so with ``lang``.
    """
    body = Body(raw_blocks, batches)
    result = []
    for block in raw_blocks:
        block_type = BLOCKS.get(block.get("type"))
        if block_type is None:
            # A block type the body no longer offers: old content the schema cannot describe.
            continue
        serialized = {
            "type": block_type.name,
            "id": block.get("id") or "",
            "value": block_type.represent(block, body),
        }
        if block.get("id") in untranslated:
            serialized["lang"] = source_language
        result.append(serialized)
    return result
