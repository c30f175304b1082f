"""A Content-Security-Policy on the admin and a stricter one on the book's own pages."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_admin_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def assert_reading_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'none'"]
    # No script of any kind, so no javascript: link can run.
    assert "script-src" not in policy
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]


@pytest.fixture
def chapter():
    book = BookPageFactory(title="Le livre")
    chapter = ChapterPageFactory(
        parent=PartPageFactory(parent=book, title="Première partie"),
        title="Le chapitre",
        body=[("paragraph", '<p>Un <a href="https://example.org/">lien</a>.</p>')],
    )
    for page in (book, chapter.get_parent(), chapter):
        page.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": book, "port": 80}
    )
    chapter.refresh_from_db()
    return chapter


def test_the_admin_login_page_has_the_admin_policy(client):
    response = client.get(reverse("wagtailadmin_login"))

    assert response.status_code == 200
    assert_admin_policy(response)


def test_an_admin_page_has_the_admin_policy(admin_client, chapter):
    response = admin_client.get(reverse("wagtailadmin_explore", args=(chapter.get_parent().pk,)))

    assert response.status_code == 200
    assert_admin_policy(response)


def test_a_public_page_of_the_book_runs_no_script(client, chapter):
    response = client.get(chapter.url)

    assert response.status_code == 200
    assert "lien" in response.text
    assert_reading_policy(response)
    assert "<style" not in response.text and "<script" not in response.text


def test_the_draft_view_on_the_admins_origin_runs_no_script(admin_client, chapter):
    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(chapter.pk,)))

    assert response.status_code == 200
    assert "Le chapitre" in response.text
    assert_reading_policy(response)


def test_the_api_has_a_policy_too(client, chapter):
    response = client.get(reverse("api:chapter-detail", args=(chapter.translation_key,)))

    assert response.status_code == 200
    assert directives(response)["object-src"] == ["'none'"]


def test_the_apis_policy_is_the_one_django_csp_builds_and_follows_the_settings(client, chapter, settings):
    from csp.middleware import PolicyParts
    from csp.utils import build_policy

    url = reverse("api:chapter-detail", args=(chapter.translation_key,))
    # Built once for the API's responses, cached or not: the policy django-csp builds from the settings.
    for _ in range(2):
        assert client.get(url)["Content-Security-Policy"] == build_policy(**vars(PolicyParts()))
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get(url)["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    report_only = client.get(url)["Content-Security-Policy-Report-Only"]
    assert "img-src 'self'" in report_only
    assert report_only == build_policy(**vars(PolicyParts()), report_only=True)
