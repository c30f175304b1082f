"""The admin's forms refuse a POST without the CSRF token (403) and accept it with the token."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from book.models import ChapterPage, City
from book.models.collections import CreativeField
from cms.localization.models import Assignment
from cms.roles import EDITORS, TRANSLATORS, group_name
from tests.security.test_admin_walk import UserFactory

pytestmark = pytest.mark.django_db


def csrf_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    # Any admin page sets the CSRF cookie, as a browser would receive it before posting.
    client.get(reverse("wagtailadmin_home" if user is not None else "wagtailadmin_login"))
    assert "csrftoken" in client.cookies
    return client


def with_token(client, data):
    return {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def form_data(html, form_id):
    """What a browser would post from the form ``form_id`` of ``html``, as it stands."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or name == "csrfmiddlewaretoken" or field.get("type") in ("submit", "file"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            value = field.text
        elif field.name == "select":
            selected = field.find("option", selected=True)
            value = selected.get("value", "") if selected else ""
        else:
            value = field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


def test_login_needs_the_csrf_token():
    get_user_model().objects.create_user("editor", password="correct horse", is_superuser=True)
    client = csrf_client()
    credentials = {"username": "editor", "password": "correct horse"}

    assert client.post(reverse("wagtailadmin_login"), credentials).status_code == 403
    response = client.post(reverse("wagtailadmin_login"), with_token(client, credentials))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_admin_forms_need_the_csrf_token(demo_book, tmp_path):
    english = Locale.objects.get(language_code="en")
    editor = UserFactory(groups=[EDITORS])
    translator = UserFactory(groups=[group_name(TRANSLATORS, "en")])
    client = csrf_client(editor)
    chapter = ChapterPage.objects.filter(locale=demo_book.locale).first()
    city = {
        "name": "Kortrijk",
        "slug": "kortrijk",
        "country": "Belgique",
        "creative_field": CreativeField.values[0],
    }
    assign = {"action": "assign", "items": [f"page:{chapter.translation_key}"], "assignee": translator.pk}
    export = tmp_path / "en.zip"
    call_command("export_locale", "en", str(export), stdout=io.StringIO())

    def upload():
        return {"file": SimpleUploadedFile("en.zip", export.read_bytes(), content_type="application/zip")}

    edit_url = reverse("wagtailadmin_pages:edit", args=[chapter.pk])
    # The body's blocks are drawn by JavaScript; an empty body is saved as the draft.
    page_form = {**form_data(client.get(edit_url).content, "page-edit-form"), "body-count": ["0"]}
    posts = {
        "page edit": (edit_url, lambda: page_form),
        "snippet create": (reverse("wagtailsnippets_book_city:add") + "?locale=fr", lambda: city),
        "queue assign": (reverse("localization:action", args=["en"]), lambda: assign),
        "PO upload": (reverse("localization:po_upload", args=["en"]), upload),
    }
    for what, (url, data) in posts.items():
        assert client.post(url, data()).status_code == 403, what
    assert not City.objects.filter(slug="kortrijk").exists()
    assert not Assignment.objects.filter(assignee=translator).exists()

    responses = {what: client.post(url, with_token(client, data())) for what, (url, data) in posts.items()}

    assert all(response.status_code != 403 for response in responses.values())
    assert responses["page edit"].status_code == 302
    assert responses["snippet create"].status_code == 302
    assert City.objects.filter(slug="kortrijk", locale__language_code="fr").exists()
    assert Assignment.objects.filter(assignee=translator, locale=english).exists()
    assert responses["PO upload"].status_code == 302
