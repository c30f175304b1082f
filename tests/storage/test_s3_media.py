"""Media on S3: what editors upload, what the API serves and what the demo loads all live in the bucket."""

import io
import urllib.error
import urllib.request
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from rest_framework.test import APIClient
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    ContributorIndexPageFactory,
    ContributorPageFactory,
    PartPageFactory,
)

pytestmark = pytest.mark.django_db


def png_bytes(width=1200, height=800, color=(200, 40, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def fetch(url):
    """The bytes an anonymous HTTP client gets at ``url``."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read()


def upload_image(admin_client, title="Salle de projection", content=None):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile("salle.png", content or png_bytes(), content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return get_image_model().objects.get(title=title)


@pytest.fixture
def book_with(db):
    """A chapter showing ``image`` in its body and a contributor with it as portrait."""

    def build(image):
        book = BookPageFactory(title="IA et création", slug="ia-et-creation")
        part = PartPageFactory(parent=book, title="Pratiques", slug="pratiques")
        chapter = ChapterPageFactory(
            parent=part,
            title="Projeter",
            slug="projeter",
            body=[("image", {"image": image, "alt_text": "Une salle", "caption": "", "credit": ""})],
        )
        contributors = ContributorIndexPageFactory(parent=book)
        contributor = ContributorPageFactory(
            parent=contributors, title="Agnès Exemple", slug="agnes-exemple", portrait=image
        )
        return chapter, contributor

    return build


def api_renditions(client):
    chapter = client.get(reverse("api:chapter-detail", kwargs={"ref": "projeter"}))
    contributor = client.get(reverse("api:contributor-detail", kwargs={"ref": "agnes-exemple"}))
    assert chapter.status_code == 200 and contributor.status_code == 200
    return {
        "chapter": chapter.json()["body"][0]["value"]["image"]["renditions"],
        "portrait": contributor.json()["portrait"]["renditions"],
    }


def test_uploaded_image_and_its_renditions_live_in_the_bucket_and_are_served_from_it(
    s3_media, admin_client, book_with, django_capture_on_commit_callbacks
):
    original = png_bytes()
    image = upload_image(admin_client, content=original)
    assert s3_media.keys("original_images/") == [image.file.name]
    assert fetch(image.file.url) == original

    book_with(image)
    renditions = api_renditions(APIClient())
    assert set(renditions["chapter"]) == {"small", "medium", "large", "webp"}
    assert renditions["portrait"] == renditions["chapter"]

    rendition_keys = set(s3_media.keys("images/"))
    assert rendition_keys == {rendition.file.name for rendition in image.renditions.all()}
    assert len(rendition_keys) == 4
    for name, described in renditions["chapter"].items():
        assert described["url"].startswith(f"{s3_media.endpoint}/{s3_media.bucket}/images/")
        served = PILImage.open(io.BytesIO(fetch(described["url"])))
        assert served.size == (described["width"], described["height"])
        assert served.format == ("WEBP" if name == "webp" else "PNG")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtailimages:delete", args=[image.pk]))
    assert response.status_code == 302
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    assert s3_media.keys() == []


def test_an_image_uploaded_twice_under_one_name_keeps_both_files(s3_media, admin_client):
    first = upload_image(admin_client, title="Première", content=png_bytes(color=(0, 0, 255)))
    second = upload_image(admin_client, title="Seconde", content=png_bytes(color=(0, 255, 0)))
    assert first.file.name != second.file.name
    assert sorted(s3_media.keys("original_images/")) == sorted([first.file.name, second.file.name])
    assert fetch(first.file.url) != fetch(second.file.url)


def test_the_demo_book_loads_its_images_into_the_bucket(s3_media):
    call_command("load_demo_book", stdout=StringIO())
    images = list(get_image_model().objects.all())
    assert images
    assert sorted(s3_media.keys("original_images/")) == sorted(image.file.name for image in images)
    cover = images[0]
    assert fetch(cover.file.url)[:3] == b"\xff\xd8\xff"  # a JPEG


def test_uploaded_document_lives_in_the_bucket_and_is_served_through_the_app(
    s3_media, admin_client, client, django_capture_on_commit_callbacks
):
    content = b"%PDF-1.4\n% le rapport annuel\n"
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Rapport",
            "file": SimpleUploadedFile("rapport.pdf", content, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Rapport")
    assert s3_media.keys() == [document.file.name]
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(document.file.url)
    assert refused.value.code == 403

    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    assert served["Content-Security-Policy"] == "default-src 'none'"

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    assert s3_media.keys() == []
