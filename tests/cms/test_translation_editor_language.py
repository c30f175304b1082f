"""wagtail-localize's translation editor writes its dates in the reader's language."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail_localize.models import StringTranslation

from cms.localization.editor import editor_props
from tests.cms.test_permissions_matrix import build_world, make_user

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(settings):
    settings.BOOK_TARGET_LANGUAGES = ["en", "es"]
    return build_world()


def test_how_a_segment_was_translated_is_dated_in_the_readers_language(world):
    segment = StringTranslation.objects.filter(locale__language_code="en").first()
    StringTranslation.objects.filter(pk=segment.pk).update(
        updated_at=MOMENT, translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL, tool_name=""
    )
    segment.refresh_from_db()

    with translation.override("fr"):
        assert segment.get_comment() == "Traduit manuellement le 4 mars 2026"
    with translation.override("en"):
        assert segment.get_comment() == "Translated manually on March 4, 2026"


def test_the_last_publication_date_is_in_the_readers_language(world):
    chapter = world.chapter("en")
    chapter.last_published_at = MOMENT
    props = json.dumps({"object": {"lastPublishedDate": "4 March 2026", "title": "x"}})

    with translation.override("fr"):
        assert json.loads(editor_props(props, chapter))["object"]["lastPublishedDate"] == "4 mars 2026"


def test_the_editor_page_carries_its_heading_in_the_readers_language(world, client, django_user_model):
    from wagtail.users.models import UserProfile

    reviewer = make_user(django_user_model, "reviewer-en")
    profile = UserProfile.get_for_user(reviewer)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(reviewer)

    html = client.get(reverse("wagtailadmin_pages:edit", args=(world.chapter("en").pk,))).content.decode()

    written = re.search(r'id="translation-editor-heading-written"[^>]*>(.*?)</script>', html)
    assert written and json.loads(written.group(1)) == "Français to Anglais translation"
    assert 'id="translation-editor-heading"' in html
