"""Cities and sectors are typed in their own language and direction in Wagtail's snippet editor, as pages are."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale

from tests.factories import CityFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic():
    return Locale.objects.get_or_create(language_code="ar")[0]


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "not used")
    client.force_login(user)
    return user


def declared_language(response):
    """The language the editor's script gives every text field (see cms/static/cms/js/text-direction.js)."""
    assert response.status_code == 200
    content = response.content.decode()
    found = re.search(r'<script id="content-language" type="application/json">(.*?)</script>', content)
    assert found, "the editor declares no language for its fields"
    assert "cms/js/text-direction.js" in content
    return json.loads(found.group(1))


@pytest.mark.parametrize(("factory", "name"), [(CityFactory, "city"), (SectorFactory, "sector")])
def test_an_arabic_item_is_edited_right_to_left(factory, name, arabic, editor, client):
    item = factory(locale=arabic, slug=f"{name}-ar")

    response = client.get(reverse(f"wagtailsnippets_book_{name}:edit", args=[item.pk]))

    assert declared_language(response) == {"lang": "ar", "dir": "rtl"}


@pytest.mark.parametrize("name", ["city", "sector"])
def test_a_new_item_is_typed_in_the_language_it_is_created_in(name, arabic, editor, client):
    response = client.get(reverse(f"wagtailsnippets_book_{name}:add") + "?locale=ar")

    assert declared_language(response) == {"lang": "ar", "dir": "rtl"}


def test_a_french_item_is_edited_left_to_right(editor, client):
    city = CityFactory()

    response = client.get(reverse("wagtailsnippets_book_city:edit", args=[city.pk]))

    assert declared_language(response) == {"lang": "fr", "dir": "ltr"}
