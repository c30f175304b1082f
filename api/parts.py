"""Serializers of the parts several shapes share: values given out as prepared, images and their
renditions, and what rich text holds. The chapter body's blocks (``api.body``) and the item
serializers (``api.serializers``) both describe their fields with them."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .images import rendition_specs


class PreparedSerializer(serializers.Serializer):
    """A part of a response that ``api.prepare`` built already in its final form: given out as it is.

    Its fields describe it (the OpenAPI schema reads them); going through them
    again would only copy each value, at a cost that grows with every credit,
    theme and image of a page of results. The tests hold the prepared parts to
    the schema.
    """

    def to_representation(self, instance):
        return instance


class RenditionSerializer(PreparedSerializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


def renditions_serializer():
    """The renditions every image is offered in, each declared by name with the filter that makes it."""
    fields = {
        name: RenditionSerializer(
            required=False,
            help_text=format_lazy(_("Made with the image filter “{spec}”."), spec=spec),
        )
        for name, spec in rendition_specs().items()
    }
    return type(
        "RenditionsSerializer",
        (PreparedSerializer,),
        {**fields, "__module__": __name__, "__doc__": "An image's renditions, each under its name."},
    )


class ImageSerializer(PreparedSerializer):
    id = serializers.IntegerField()
    alt = serializers.CharField(help_text=_("The image's text alternative."))
    credit = serializers.CharField(help_text=_("Who made the image, or holds its rights; may be empty."))
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = renditions_serializer()(
        help_text=_(
            "The image in several sizes and formats, by name. A rendition that could not be made "
            "yet (the original was unreadable) is left out and made on a later request."
        ),
    )


RICH_TEXT_HELP = _(
    "Clean HTML: links point at public URLs, note references at their notes. A link to an item of "
    "the book names it in data-kind (book, part, chapter, contributor, theme; contributors or themes "
    "for a whole list), data-key, data-locale (the language served) and data-slug, for a site to map "
    "it to its own route. Images are only the book's own, with their alt text."
)
