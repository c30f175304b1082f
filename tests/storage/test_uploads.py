"""What the admin refuses to store: wrong types, files too large, images with too many pixels.

Each refusal is a form error (or the multiple uploader's JSON error), with nothing
created in the database and nothing written to the media storage, local or S3.
"""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(params=["configured", "s3"])
def media(request):
    """Where uploads go: the configured storage (local files by default), or a bucket of their own on S3."""
    if request.param == "s3":
        request.getfixturevalue("s3_media")
    return request.param


def png_bytes(width=40, height=30):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def png_header_only(width, height):
    """A valid PNG that declares ``width`` x ``height`` pixels in a few dozen bytes (a decompression bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * (1 + (width + 7) // 8))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def stored_files(path=""):
    """Every file under ``path`` in the default storage."""
    try:
        folders, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    prefix = f"{path}/" if path else ""
    found = [prefix + name for name in files]
    for folder in folders:
        found += stored_files(prefix + folder)
    return found


def root_collection():
    return Collection.get_first_root_node().pk


def post_image(client, name, content, title="Image"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": root_collection()},
    )


def post_images(client, name, content):
    """The multiple uploader, as its JavaScript posts one file."""
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content), "collection": root_collection()},
    )


def post_document(client, name, content, title="Document"):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": root_collection()},
    )


def post_documents(client, name, content):
    return client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content), "collection": root_collection()},
    )


def assert_refused(response, code=None):
    """A form error on the file, shown in the page, and nothing stored anywhere."""
    assert response.status_code == 200
    errors = response.context["form"].errors.get("file")
    assert errors, response.context["form"].errors
    if code:
        assert code in {error.code for error in response.context["form"].errors.as_data()["file"]}
    page = response.content.decode()
    assert all(escape(message) in page for message in errors)
    assert_nothing_stored()


def assert_refused_json(response):
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False and answer["error_message"]
    assert_nothing_stored()


def assert_nothing_stored():
    assert not get_image_model().objects.exists()
    assert not get_document_model().objects.exists()
    assert stored_files() == []


def test_a_real_png_is_accepted_and_stored(admin_client, media):
    response = post_image(admin_client, "photo.png", png_bytes())
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert stored_files() == [image.file.name]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dessin.svg", SVG),
        ("dessin.png", SVG),
        ("page.png", HTML),
        ("vide.png", b""),
        ("bruit.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("photo.bmp", png_bytes()),
        ("photo.tiff", png_bytes()),
    ],
    ids=["svg", "svg-as-png", "html-as-png", "empty", "broken-png", "bmp-extension", "tiff-extension"],
)
def test_what_is_not_an_allowed_image_is_refused(admin_client, media, name, content):
    assert_refused(post_image(admin_client, name, content))


def test_svg_is_refused_even_when_the_extensions_allow_it(admin_client, media, settings):
    settings.WAGTAILIMAGES_EXTENSIONS = [*settings.WAGTAILIMAGES_EXTENSIONS, "svg"]
    response = post_image(admin_client, "dessin.svg", SVG)
    assert_refused(response, "svg_not_allowed")


def test_an_image_whose_extension_lies_about_its_format_is_refused(admin_client, media):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(buffer, "GIF")
    assert_refused(post_image(admin_client, "photo.png", buffer.getvalue()), "invalid_image_known_format")


def test_an_image_over_the_size_limit_is_refused(admin_client, media, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    content = png_bytes(400, 400)
    assert len(content) > 1024
    assert_refused(post_image(admin_client, "grande.png", content), "file_too_large")


def test_a_decompression_bomb_is_refused_without_being_decoded(admin_client, media):
    bomb = png_header_only(20_000, 20_000)
    assert len(bomb) < 5_000
    assert_refused(post_image(admin_client, "bombe.png", bomb), "file_too_many_pixels")


def test_an_image_over_the_pixel_limit_is_refused(admin_client, media, settings):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    # Below the imaging library's own limit: the project's setting refuses it.
    assert_refused(
        post_image(admin_client, "large.png", png_header_only(8_000, 6_000)), "file_too_many_pixels"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("dessin.svg", SVG), ("page.png", HTML), ("bombe.png", png_header_only(20_000, 20_000))],
    ids=["svg", "html-as-png", "bomb"],
)
def test_the_multiple_uploader_refuses_the_same_images(admin_client, media, name, content):
    assert_refused_json(post_images(admin_client, name, content))


def test_the_multiple_uploader_stores_a_real_image(admin_client, media):
    answer = post_images(admin_client, "photo.png", png_bytes()).json()
    assert answer["success"] is True
    image = get_image_model().objects.get()
    assert stored_files() == [image.file.name]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("page.htm", HTML),
        ("dessin.svg", SVG),
        ("programme.exe", b"MZ\x90\x00" + b"\x00" * 60),
        ("script.js", b"alert(1)"),
        ("sans-extension", b"texte"),
    ],
    ids=["html", "htm", "svg", "exe", "js", "no-extension"],
)
def test_a_document_of_a_type_not_allowed_is_refused(admin_client, media, name, content):
    assert_refused(post_document(admin_client, name, content))


@pytest.mark.parametrize(
    ("name", "content"), [("page.html", HTML), ("programme.exe", b"MZ")], ids=["html", "exe"]
)
def test_the_multiple_uploader_refuses_the_same_documents(admin_client, media, name, content):
    assert_refused_json(post_documents(admin_client, name, content))


def test_a_document_over_the_size_limit_is_refused(admin_client, media, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    assert_refused(post_document(admin_client, "rapport.pdf", b"%PDF-1.4\n" + b"0" * 200), "file_too_large")


def test_a_text_document_holding_html_is_stored_and_served_as_plain_text(admin_client, client, media):
    response = post_document(admin_client, "notes.txt", HTML)
    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert stored_files() == [document.file.name]
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Type"].startswith("text/plain")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"
