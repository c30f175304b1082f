"""A form posted without one of its management fields gets a 400 naming it, and changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from book.models import ChapterPage

pytestmark = pytest.mark.django_db


def test_a_chapter_posted_without_its_body_count_is_refused_with_a_400(client, demo_book):
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    chapter = ChapterPage.objects.filter(locale=demo_book.locale).first()
    revisions = chapter.revisions.count()

    response = client.post(reverse("wagtailadmin_pages:edit", args=[chapter.pk]), {"title": "Sans corps"})

    assert response.status_code == 400
    assert "body-count" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.title != "Sans corps"
    assert chapter.revisions.count() == revisions
