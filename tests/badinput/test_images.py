"""Broken images through the admin's image views: a form error, and nothing written anywhere.

tests/storage/test_uploads.py covers wrong formats, SVG, HTML named .png, an empty .png
in the add view, size and pixel limits. These are the remaining cases an editor meets:
a JPEG cut short by a failed transfer, an empty file in the multiple uploader, a text
file named .jpg, and a broken file replacing the file of an existing image.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.storage.test_uploads import post_image, post_images, root_collection, stored_files

from .snapshot import database_snapshot

pytestmark = pytest.mark.django_db

INVALID_IMAGE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."


def jpeg_bytes(width=320, height=240):
    buffer = io.BytesIO()
    PILImage.effect_noise((width, height), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def truncated_jpeg():
    """What a transfer cut off halfway leaves: a valid header, half the scan data, no end marker."""
    data = jpeg_bytes()
    return data[: len(data) // 2]


def header_only_jpeg():
    data = jpeg_bytes()
    return data[: data.index(b"\xff\xda")]  # up to the start of the scan


BROKEN_IMAGES = {
    "truncated-jpeg": ("photo.jpg", truncated_jpeg()),
    "jpeg-header-only": ("photo.jpg", header_only_jpeg()),
    "text-named-jpg": ("photo.jpg", b"Ceci n'est pas une image.\n"),
}


@pytest.fixture
def opened(english_admin_client):
    """The admin's image views as an editor opens them before posting, and the state before."""

    def open_view(url):
        assert english_admin_client.get(url).status_code == 200
        return database_snapshot(), stored_files()

    return open_view


@pytest.mark.parametrize(("name", "content"), BROKEN_IMAGES.values(), ids=BROKEN_IMAGES.keys())
def test_the_add_view_refuses_a_broken_image(english_admin_client, opened, name, content):
    before, files = opened(reverse("wagtailimages:add"))

    response = post_image(english_admin_client, name, content)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert escape(INVALID_IMAGE) in response.content.decode()
    assert database_snapshot() == before
    assert stored_files() == files


@pytest.mark.parametrize(
    ("name", "content"),
    [*BROKEN_IMAGES.values(), ("vide.jpg", b"")],
    ids=[*BROKEN_IMAGES.keys(), "empty"],
)
def test_the_multiple_uploader_refuses_a_broken_image(english_admin_client, opened, name, content):
    before, files = opened(reverse("wagtailimages:add_multiple"))

    response = post_images(english_admin_client, name, content)

    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert answer["error_message"] in {INVALID_IMAGE, "The submitted file is empty."}
    assert database_snapshot() == before
    assert stored_files() == files


@pytest.mark.parametrize(("name", "content"), BROKEN_IMAGES.values(), ids=BROKEN_IMAGES.keys())
def test_replacing_an_image_file_with_a_broken_one_keeps_the_image_as_it_was(
    english_admin_client, opened, name, content
):
    assert post_image(english_admin_client, "photo.jpg", jpeg_bytes(), title="Atelier").status_code == 302
    image = get_image_model().objects.get()
    edit_url = reverse("wagtailimages:edit", args=(image.pk,))
    before, files = opened(edit_url)
    assert image.file.name in files

    response = english_admin_client.post(
        edit_url,
        {
            "title": "Atelier",
            "file": SimpleUploadedFile(name, content),
            "collection": root_collection(),
            "tags": "",
            "focal_point_x": "",
            "focal_point_y": "",
            "focal_point_width": "",
            "focal_point_height": "",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert escape(INVALID_IMAGE) in response.content.decode()
    assert database_snapshot() == before
    assert stored_files() == files
