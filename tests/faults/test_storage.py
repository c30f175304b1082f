"""The S3 endpoint goes down: the API keeps serving text and image URLs, the admin refuses uploads cleanly.

Renditions already made are described from the database, with URLs that need no
call to S3; a rendition still to make needs the original from S3, so while S3 is
down that image is described without renditions.
"""

import io
import logging

import pytest
from botocore.config import Config
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from rest_framework.test import APIClient
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory
from tests.storage import s3

pytestmark = pytest.mark.django_db

CHAPTERS = "/api/v1/chapters/"


def png_bytes(color=(200, 40, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def s3_server(settings):
    """A moto server of this test's own, with the media bucket, that the test may stop and start again."""
    server = s3.MotoServer().start()
    bucket = s3.unique_bucket_name()
    s3.create_media_bucket(s3.client(server.endpoint), bucket)
    storage = s3.storage_settings(server.endpoint, bucket)
    # One attempt per call rather than botocore's retries with back-off, to keep the test short.
    storage["OPTIONS"]["client_config"] = Config(retries={"total_max_attempts": 1})
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    server.bucket = bucket
    yield server
    server.stop()


def post_image(admin_client, title, content):
    return admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(f"{title.lower()}.png", content, content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload(admin_client, title):
    response = post_image(admin_client, title, png_bytes())
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return get_image_model().objects.get(title=title)


def chapter_showing(part, slug, image):
    return ChapterPageFactory(
        parent=part,
        title=slug.capitalize(),
        slug=slug,
        body=[
            ("paragraph", f"<p>Le texte de {slug}.</p>"),
            ("image", {"image": image, "alt_text": "Une salle", "caption": "", "credit": ""}),
        ],
    )


def described_image(response):
    assert response.status_code == 200, response.content
    body = response.json()["body"]
    assert body[0]["type"] == "paragraph" and slug_text(response) in body[0]["value"]
    return body[1]["value"]["image"]


def slug_text(response):
    return f"Le texte de {response.json()['slug']}."


def test_the_api_serves_text_and_made_renditions_while_s3_is_down(s3_server, admin_client, caplog):
    made = upload(admin_client, "Projection")
    not_made = upload(admin_client, "Atelier")
    part = PartPageFactory(parent=BookPageFactory(slug="ia-et-creation"), slug="pratiques")
    chapter_showing(part, "projeter", made)
    chapter_showing(part, "apprendre", not_made)
    api = APIClient()
    before = described_image(api.get(f"{CHAPTERS}projeter/"))
    assert set(before["renditions"]) == {"small", "medium", "large", "webp"}
    assert not not_made.renditions.exists()

    s3_server.stop()
    # As on an app server whose response cache is empty: every answer is built again.
    caches["default"].clear()

    with caplog.at_level(logging.WARNING, logger="api.images"):
        listing = api.get(f"{CHAPTERS}?page_size=100")
        assert listing.status_code == 200
        assert {chapter["slug"] for chapter in listing.json()["results"]} == {"projeter", "apprendre"}
        assert described_image(api.get(f"{CHAPTERS}projeter/")) == before

        incomplete = api.get(f"{CHAPTERS}apprendre/")
        missing = described_image(incomplete)
    # Built without its renditions: neither stored nor validated as the chapter's current state.
    assert "no-store" in incomplete["Cache-Control"]
    assert api.get(f"{CHAPTERS}apprendre/", HTTP_IF_NONE_MATCH=incomplete["ETag"]).status_code == 200
    assert missing["id"] == not_made.pk
    assert (missing["width"], missing["height"]) == (900, 600)
    assert missing["renditions"] == {}
    warnings = [record.getMessage() for record in caplog.records if record.name == "api.images"]
    assert warnings and all(f"image {not_made.pk}" in message for message in warnings)


def test_an_upload_while_s3_is_down_is_a_form_error_and_stores_nothing(s3_server, admin_client):
    s3_server.stop()

    response = post_image(admin_client, "Projection", png_bytes())

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors.get("file", [])] == ["storage_unavailable"], errors
    assert not get_image_model().objects.exists()

    # moto keeps its objects in memory: the server started again has an empty bucket.
    s3_server.start()
    s3.create_media_bucket(s3.client(s3_server.endpoint), s3_server.bucket)
    image = upload(admin_client, "Projection")
    assert s3.keys(s3.client(s3_server.endpoint), s3_server.bucket, "original_images/") == [image.file.name]
