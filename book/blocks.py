"""The blocks a chapter body is made of.

Every block that holds words is made of CharBlock, TextBlock and RichTextBlock
children, which wagtail-localize extracts as translation segments; choices,
numbers, URLs and images are synchronised across languages. A translation may
still override a URL: ``address_problems`` checks a whole page, translated or
not, against the same rules as the blocks' forms.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from .links import link_problems, url_problem
from .text import count_words, footnote_references

NOTE_RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link"]


def rich_text_block(**kwargs):
    kwargs.setdefault("features", settings.BOOK_RICH_TEXT_FEATURES)
    return blocks.RichTextBlock(**kwargs)


def url_block_problem(block, url):
    """Why a URL field's value is refused: the book's allow-list first, then the field's own checks."""
    problem = url_problem(url)
    if problem is None:
        try:
            block.clean(url)
        except ValidationError as error:
            problem = error
    return problem


class PublicURLsBlock(blocks.StructBlock):
    """A group of fields whose URLs lead only to public web addresses (``book.links``)."""

    def url_problems(self, value):
        """``{child name: ValidationError}`` for the URLs of ``value`` that are refused."""
        return {
            name: problem
            for name, child in self.child_blocks.items()
            if isinstance(child, blocks.URLBlock)
            and value.get(name)
            and (problem := url_block_problem(child, value[name]))
        }

    def clean(self, value):
        problems = self.url_problems(value)
        try:
            value = super().clean(value)
        except StructBlockValidationError as error:
            # The allow-list's message says more than "Enter a valid URL".
            raise StructBlockValidationError(
                block_errors={**error.block_errors, **problems}, non_block_errors=error.non_block_errors
            ) from error
        if problems:
            raise StructBlockValidationError(block_errors=problems)
        return value


def embed_provider_problem(url):
    """Why ``url`` cannot be embedded: no known oEmbed provider serves it."""
    from wagtail.embeds.finders.oembed import OEmbedFinder

    if url and not OEmbedFinder()._get_endpoint(url):
        return ValidationError(
            _("No known embed provider serves this address."), code="unknown_embed_provider"
        )
    return None


class HeadingBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
        label=_("Level"),
    )
    text = blocks.CharBlock(max_length=255, label=_("Text"))

    class Meta:
        icon = "title"
        label = _("Heading")

    def word_count(self, value):
        return count_words(value["text"])


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", settings.BOOK_RICH_TEXT_FEATURES)
        kwargs.setdefault(
            "help_text",
            _("Reference a note with [^N], where N is the number of a note block of this chapter."),
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")

    def word_count(self, value):
        return count_words(value.source)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(required=False, max_length=255, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        label = _("Quote")

    def word_count(self, value):
        return count_words(value["text"]) + count_words(value["attribution"])


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        max_length=255,
        label=_("Alternative text"),
        help_text=_("Describes the image for readers who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=500, label=_("Caption"))
    credit = blocks.CharBlock(required=False, max_length=255, label=_("Credit"))

    class Meta:
        icon = "image"
        label = _("Image")

    def word_count(self, value):
        return count_words(value["caption"])


class EmbedBlock(PublicURLsBlock):
    """A video or sound from a known oEmbed provider; sites embed it in their own player."""

    url = blocks.URLBlock(label=_("URL"), help_text=_("A YouTube, Vimeo, SoundCloud or similar address."))
    title = blocks.CharBlock(required=False, max_length=255, label=_("Title"))
    caption = blocks.CharBlock(required=False, max_length=500, label=_("Caption"))

    class Meta:
        icon = "media"
        # In context: Wagtail's admin has its own, different "Embed".
        label = pgettext_lazy("chapter block", "Embed")

    def url_problems(self, value):
        problems = super().url_problems(value)
        if "url" not in problems and (problem := embed_provider_problem(value.get("url"))):
            problems["url"] = problem
        return problems

    def word_count(self, value):
        return count_words(value["title"]) + count_words(value["caption"])


class NoteBlock(blocks.StructBlock):
    number = blocks.IntegerBlock(min_value=1, label=pgettext_lazy("note", "Number"))
    text = blocks.RichTextBlock(features=NOTE_RICH_TEXT_FEATURES, label=_("Text"))

    class Meta:
        icon = "list-ol"
        label = _("Note")

    def word_count(self, value):
        return count_words(value["text"].source)


class BibliographyEntryBlock(PublicURLsBlock):
    author = blocks.CharBlock(max_length=255, label=_("Author"))
    title = blocks.CharBlock(max_length=500, label=_("Title"))
    publisher = blocks.CharBlock(required=False, max_length=255, label=_("Publisher"))
    year = blocks.IntegerBlock(required=False, min_value=1000, max_value=2100, label=_("Year"))
    url = blocks.URLBlock(required=False, label=_("URL"))

    class Meta:
        icon = "doc-full"
        label = _("Bibliography entry")

    def word_count(self, value):
        return 0


class InterviewBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    answer = rich_text_block(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Interview question and answer")

    def word_count(self, value):
        return count_words(value["question"]) + count_words(value["answer"].source)


class ChapterBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock()
    note = NoteBlock()
    bibliography_entry = BibliographyEntryBlock()
    interview = InterviewBlock()

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        numbers = {}
        for index, child in enumerate(value):
            if child.block_type == "note":
                number = child.value["number"]
                if number in numbers:
                    errors[index] = ValidationError(
                        _("Note %(number)s is numbered twice.") % {"number": number}
                    )
                numbers[number] = index
        for index, child in enumerate(value):
            for number in footnote_references(self.referencing_text(child)):
                if number not in numbers:
                    errors[index] = ValidationError(
                        _("This block refers to note %(number)s, which the chapter does not have.")
                        % {"number": number}
                    )
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value

    @staticmethod
    def referencing_text(child):
        """The text of a block that may carry [^N] note references."""
        if child.block_type == "paragraph":
            return child.value.source
        if child.block_type == "interview":
            return child.value["answer"].source
        return ""

    def word_count(self, value):
        return sum(child.block.word_count(child.value) for child in value)


def _block_problems(block, value, place):
    """``(place, ValidationError)`` for each refused address in one block's value, at any depth."""
    if value is None:
        return []
    if isinstance(block, blocks.RichTextBlock):
        source = value.source if isinstance(value, RichText) else str(value)
        return [(place, problem) for _href, problem in link_problems(source)]
    if isinstance(block, blocks.URLBlock):
        problem = url_block_problem(block, value) if value else None
        return [(place, problem)] if problem else []
    if isinstance(block, blocks.StreamBlock):
        found = []
        for number, child in enumerate(value, start=1):
            found += _block_problems(child.block, child.value, [*place, f"{child.block.label} {number}"])
        return found
    if isinstance(block, blocks.ListBlock):
        found = []
        for number, item in enumerate(value, start=1):
            found += _block_problems(block.child_block, item, [*place, str(number)])
        return found
    if isinstance(block, blocks.StructBlock):
        found = []
        own = block.url_problems(value) if isinstance(block, PublicURLsBlock) else {}
        for name, child in block.child_blocks.items():
            if name in own:
                found.append(([*place, str(child.label)], own[name]))
            elif not isinstance(child, blocks.URLBlock) or not isinstance(block, PublicURLsBlock):
                found += _block_problems(child, value.get(name), [*place, str(child.label)])
        return found
    return []


def address_problems(instance):
    """Every address of a page or snippet that the book refuses, as ``(place, ValidationError)``.

    ``place`` names where it is, for the person who must fix it ("Body › Embed 3 › URL").
    The blocks' forms refuse these addresses when they are typed; this finds them in
    content written another way: a translation's overrides, an import, older data.
    """
    found = []
    for field in instance._meta.get_fields():
        if isinstance(field, StreamField):
            found += _block_problems(
                field.stream_block, getattr(instance, field.name), [str(field.verbose_name)]
            )
        elif isinstance(field, RichTextField):
            found += [
                ([str(field.verbose_name)], problem)
                for _href, problem in link_problems(getattr(instance, field.name))
            ]
    return [(" › ".join(part[:1].upper() + part[1:] for part in place), problem) for place, problem in found]
