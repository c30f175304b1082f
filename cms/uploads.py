"""The admin's image upload form: whatever an editor uploads is checked before anything is stored.

Wagtail already refuses other extensions, extensions that lie about the format,
files over WAGTAILIMAGES_MAX_UPLOAD_SIZE and images over WAGTAILIMAGES_MAX_IMAGE_PIXELS.
This form adds what it lets through: a file that starts like an image but that the
imaging library then fails to read (a 500 otherwise), and SVG, which can carry
scripts, whatever WAGTAILIMAGES_EXTENSIONS says. And when the media storage (S3)
does not answer, the upload is refused with a form error before anything is
written, rather than failing half-way with a server error.
"""

import logging
import struct
import zlib

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# What the imaging library raises on a file it cannot read.
UNREADABLE_IMAGE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    zlib.error,
    PILImage.DecompressionBombError,
)


SVG_NOT_ALLOWED = _("SVG images are not accepted, since they can carry scripts.")
STORAGE_UNAVAILABLE = _("The media storage does not answer, so nothing was saved. Try again in a moment.")
# What a storage raises when it cannot be reached: local files, or S3 through boto.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
# Any name will do: asking whether it exists is the cheapest request a storage answers.
STORAGE_PROBE = "original_images/.probe"

logger = logging.getLogger(__name__)


class CheckedImageField(WagtailImageField):
    def to_python(self, data):
        try:
            image = super().to_python(data)
        except ValidationError:
            raise
        except UNREADABLE_IMAGE_ERRORS as error:
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error
        if image is not None and image.image.format_name == "svg":
            raise ValidationError(SVG_NOT_ALLOWED, code="svg_not_allowed")
        return image


class ImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) with the checks above."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Wagtail builds this field itself (formfield_for_dbfield), so it is
            # replaced here by the stricter one, with the same label and widget.
            built = self.fields["file"]
            self.fields["file"] = CheckedImageField(
                label=built.label, required=built.required, widget=built.widget
            )

    def clean(self):
        cleaned_data = super().clean()
        if "file" in self.changed_data and not self.has_error("file"):
            storage = self._meta.model._meta.get_field("file").storage
            try:
                storage.exists(STORAGE_PROBE)
            except STORAGE_ERRORS as error:
                # The storage could still fail between this check and the save; it
                # is the outage that lasts that this turns into a form error.
                logger.warning("Media storage unavailable, image upload refused: %s", error)
                self.add_error("file", ValidationError(STORAGE_UNAVAILABLE, code="storage_unavailable"))
        return cleaned_data
