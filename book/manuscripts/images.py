"""The images of a manuscript, checked as the admin's image upload checks them, before anything is stored."""

import base64
import io
import struct
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image as PILImage

from .errors import ManuscriptError

# Pillow's format names of what WAGTAILIMAGES_EXTENSIONS accepts.
EXTENSION_FORMATS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "avif": "AVIF",
}
FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
# Real images that browsers do not show, made PNG on the way in.
CONVERTED_FORMATS = {"BMP", "TIFF"}
# Real images that cannot be converted here (Windows metafiles): left out and reported.
DROPPED_FORMATS = {"WMF", "EMF"}
UNREADABLE = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    zlib.error,
    PILImage.DecompressionBombError,
)
PREVIEW_SIZE = (480, 360)


@dataclass
class ManuscriptImage:
    """One image of the manuscript, ready to be stored as a Wagtail image."""

    number: int
    name: str
    data: bytes
    format: str
    width: int
    height: int
    alt: str = ""

    def preview_uri(self):
        """A small copy as a data: URI, so that the preview shows it without storing anything."""
        with PILImage.open(io.BytesIO(self.data)) as image:
            image.thumbnail(PREVIEW_SIZE)
            buffer = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(buffer, "PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def accepted_formats():
    return {EXTENSION_FORMATS[ext] for ext in settings.WAGTAILIMAGES_EXTENSIONS if ext in EXTENSION_FORMATS}


def not_an_image(number, name):
    return ManuscriptError(
        _("Image %(number)s (%(name)s) is not an image that can be read.")
        % {"number": number, "name": name[:80]}
    )


def check_image(number, name, data, report):
    """A ManuscriptImage for ``data``; None for a real image in a format left out (reported).

    Refuses, as the admin's upload does, what is too large, has too many pixels,
    is SVG, or is not an image at all (or a damaged one).
    """
    if len(data) > settings.BOOK_MANUSCRIPT_MAX_IMAGE_BYTES:
        raise ManuscriptError(
            _("Image %(number)s (%(name)s) weighs %(size)s MB, more than the %(limit)s MB accepted.")
            % {
                "number": number,
                "name": name[:80],
                "size": round(len(data) / 1024 / 1024, 1),
                "limit": round(settings.BOOK_MANUSCRIPT_MAX_IMAGE_BYTES / 1024 / 1024, 1),
            }
        )
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>"):
        raise ManuscriptError(
            _(
                "Image %(number)s (%(name)s) is an SVG image, which is not accepted since it can carry scripts."
            )
            % {"number": number, "name": name[:80]}
        )
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise ManuscriptError(
                    _("Image %(number)s (%(name)s) has %(pixels)s pixels, more than the %(limit)s accepted.")
                    % {
                        "number": number,
                        "name": name[:80],
                        "pixels": width * height,
                        "limit": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
                    }
                )
            if kind in DROPPED_FORMATS:
                report.images_dropped.append((number, kind))
                return None
            image.load()
            if kind in CONVERTED_FORMATS:
                buffer = io.BytesIO()
                image.save(buffer, "PNG")
                data, kind = buffer.getvalue(), "PNG"
                report.images_converted.append((number, image.format))
                name = name.rsplit(".", 1)[0] + ".png"
    except ManuscriptError:
        raise
    except UNREADABLE as error:
        raise not_an_image(number, name) from error
    if kind not in accepted_formats():
        raise not_an_image(number, name)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or f"image-{number}"
    return ManuscriptImage(
        number=number,
        name=f"{stem[:80]}.{FORMAT_EXTENSIONS[kind]}",
        data=data,
        format=kind,
        width=width,
        height=height,
    )
