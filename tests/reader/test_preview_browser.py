"""In Chromium: an editor saves a new title as a draft, clicks Preview, and the reader shows it; the public API does not."""

import pytest
import requests
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import Page, Revision
from wagtail.users.models import UserProfile

from tests.e2e.conftest import PASSWORD, TIMEOUT_MS, log_in

from .test_pages import api

pytestmark = pytest.mark.browser

DRAFT_TITLE = "Un titre que personne n’a encore publié"


@pytest.fixture
def editor(cms):
    # Not pytest-django's django_user_model, which would wrap the test in a transaction
    # the live server cannot see, and order it among the database tests.
    user = get_user_model().objects.create_superuser("preview-editor", "editor@example.org", PASSWORD)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    yield user
    user.delete()


def test_an_unpublished_title_shows_in_the_reader_preview_only(cms, start_reader, browser, settings, editor):
    reader = start_reader(f"{cms.url}/api/v1/")
    settings.READER_URL = reader.url + "/"
    summary = api(cms, "chapters/", locale="fr")["results"][0]
    chapter = Page.objects.get(translation_key=summary["key"], locale__language_code="fr")
    before = (chapter.latest_revision_id, chapter.has_unpublished_changes, chapter.draft_title)
    revisions = set(Revision.page_revisions.filter(object_id=str(chapter.pk)).values_list("pk", flat=True))
    context = browser.new_context(base_url=cms.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        log_in(tab, editor)
        tab.goto(f"/admin/pages/{chapter.pk}/edit/")
        tab.locator("#id_title").fill(DRAFT_TITLE)
        tab.get_by_role("button", name="Save draft").click()
        expect(tab.locator(".messages")).to_contain_text("updated")

        tab.get_by_role("button", name="Toggle preview").click()
        tab.locator("#id_preview_mode").select_option("reader")
        with context.expect_page() as opened:
            tab.get_by_role("link", name="Preview in new tab").click()
        preview = opened.value
        preview.wait_for_load_state()

        assert preview.url.startswith(f"{reader.url}/preview/?token=")
        expect(preview.locator("h1")).to_have_text(DRAFT_TITLE)
        expect(preview.locator(".preview-banner")).to_contain_text("Aperçu du brouillon")
        public = requests.get(
            f"{cms.url}/api/v1/chapters/{summary['key']}/", params={"locale": "fr"}, timeout=30
        )
        assert public.json()["title"] == summary["title"]
        assert DRAFT_TITLE not in requests.get(f"{reader.url}/fr/chapters/{summary['key']}/", timeout=30).text
    finally:
        context.close()
        Page.objects.filter(pk=chapter.pk).update(
            latest_revision_id=before[0], has_unpublished_changes=before[1], draft_title=before[2]
        )
        Revision.page_revisions.filter(object_id=str(chapter.pk)).exclude(pk__in=revisions).delete()
