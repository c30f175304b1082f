"""Images as the API gives them: alt text, credit, size, and a set of renditions.

An image and a rendition are shapes (``api.shapes``): built here, described in the
schema by the serializers generated from the same declarations.

Renditions are expensive to find and to make, so a response gathers the ids of
all the images it shows first and loads them in one go, with the renditions
already made prefetched; ``Image.get_renditions`` then only creates those still
missing, in bulk per image.
"""

import functools
import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

from . import dependencies
from .shapes import shape, value

logger = logging.getLogger(__name__)

# What making a rendition raises when the original cannot be read: a missing or
# unreadable file, or media on S3 that does not answer or refuses the request.
ORIGINAL_UNAVAILABLE = (SourceImageIOError, BotoCoreError, ClientError)

DEFAULT_RENDITIONS = {
    "small": "width-400",
    "medium": "width-800",
    "large": "width-1600",
    "webp": "width-800|format-webp",
}

# The rendition that stands for an image embedded in rich text.
INLINE_RENDITION = "medium"


def rendition_specs():
    """The renditions every image is offered in, ``{name: filter spec}``."""
    return getattr(settings, "API_IMAGE_RENDITIONS", None) or DEFAULT_RENDITIONS


@shape
class Rendition:
    url: str = value(serializers.URLField())
    width: int = value(serializers.IntegerField())
    height: int = value(serializers.IntegerField())


def renditions_serializer():
    """The renditions every image is offered in, each declared by name with the filter that makes it.

    It describes them only: an image gives out its renditions itself (``represent_renditions``).
    """
    fields = {
        name: Rendition.serializer(
            required=False,
            help_text=format_lazy(_("Made with the image filter “{spec}”."), spec=spec),
        )
        for name, spec in rendition_specs().items()
    }
    return type(
        "RenditionsSerializer",
        (serializers.Serializer,),
        {**fields, "__module__": __name__, "__doc__": "An image's renditions, each under its name."},
    )


def represent_renditions(renditions):
    """``{name: Rendition}`` as a document holds it, in the order of ``rendition_specs``."""
    return {name: rendition.represent() for name, rendition in renditions.items()}


@shape
class Image:
    id: int = value(serializers.IntegerField())
    alt: str = value(serializers.CharField(help_text=_("The image's text alternative.")))
    credit: str = value(
        serializers.CharField(help_text=_("Who made the image, or holds its rights; may be empty."))
    )
    width: int = value(serializers.IntegerField())
    height: int = value(serializers.IntegerField())
    # Those made, by name (``rendition_specs``): one that could not be made yet is left out.
    renditions: dict = value(
        renditions_serializer()(
            help_text=_(
                "The image in several sizes and formats, by name. A rendition that could not be made "
                "yet (the original was unreadable) is left out and made on a later request."
            ),
        ),
        represent_renditions,
    )


@functools.cache
def rendition_filter(spec):
    """Wagtail's filter for a spec, its operations parsed once rather than for every image."""
    return Filter(spec=spec)


class ImageBatch:
    """The images of one response, loaded together on first use."""

    def __init__(self, reader):
        self.reader = reader
        self.ids = set()
        self._images = None

    def add(self, image_id):
        if image_id:
            self.ids.add(int(image_id))
            dependencies.note_ids("image", [image_id])
        return image_id

    def _load(self):
        if self._images is None:
            self._images = self._from_renditions()
            missing = self.ids - set(self._images)
            if missing:
                # Images never shown before: loaded with what renditions they have.
                specs = rendition_specs().values()
                images = get_image_model().objects.filter(pk__in=missing).prefetch_renditions(*specs)
                self._images.update((image.pk, image) for image in images)
        return self._images

    def _from_renditions(self):
        """The images that have renditions already, each with its renditions, in one query.

        Once an image has been shown its renditions exist, so reading them with
        their image spares the query for the images themselves. Each image gets
        the renditions found as Wagtail's prefetched ones (``prefetch_renditions``),
        so that ``get_renditions`` looks nowhere else and makes only those missing.
        """
        if not self.ids:
            return {}
        renditions = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(image_id__in=self.ids, filter_spec__in=rendition_specs().values())
            .select_related("image")
        )
        images = {}
        for rendition in renditions:
            image = images.setdefault(rendition.image_id, rendition.image)
            if not hasattr(image, "prefetched_renditions"):
                image.prefetched_renditions = []
            rendition.image = image
            image.prefetched_renditions.append(rendition)
        return images

    def get(self, image_id):
        try:
            return self._load().get(int(image_id)) if image_id else None
        except (TypeError, ValueError):
            return None

    def renditions(self, image):
        specs = rendition_specs()
        try:
            made = image.get_renditions(*(rendition_filter(spec) for spec in specs.values()))
        except ORIGINAL_UNAVAILABLE as error:
            # The image is described without renditions; they are made on a later request.
            logger.warning("Renditions of image %s could not be made: %s", image.pk, error)
            # A response without them must not be cached as if it were complete.
            self.reader.incomplete = True
            return {}
        result = {}
        for name, spec in specs.items():
            rendition = made.get(spec)
            if rendition is not None:
                result[name] = Rendition(
                    url=self.reader.absolute(rendition.url), width=rendition.width, height=rendition.height
                )
        return result

    def serialize(self, image_id, alt="", credit=""):
        """The API's description of an image (``Image``), or None when it no longer exists."""
        image = self.get(image_id)
        if image is None:
            return None
        return Image(
            id=image.pk,
            alt=alt or getattr(image, "default_alt_text", "") or "",
            credit=credit or "",
            width=image.width,
            height=image.height,
            renditions=self.renditions(image),
        )
