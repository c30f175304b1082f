"""A staff member without a last name saves the account page and switches the interface language."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.cms.localization_support import translator

pytestmark = pytest.mark.django_db


def account_form(user, **changes):
    """What the account page posts, as a browser would send it, with ``changes``."""
    data = {
        "name_email-first_name": user.first_name,
        "name_email-last_name": user.last_name,
        "name_email-email": user.email,
        "locale-preferred_language": "fr",
        "locale-current_time_zone": "",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }
    data.update(changes)
    return data


def test_a_translator_with_only_a_first_name_switches_the_admin_to_english(client):
    user = translator("en", username="traductrice-en", language="fr")
    assert user.last_name == ""
    client.force_login(user)

    response = client.post(
        reverse("wagtailadmin_account"), account_form(user, **{"locale-preferred_language": "en"})
    )

    assert response.status_code == 302, response.context["panels_by_tab"] if response.context else response
    assert UserProfile.get_for_user(user).preferred_language == "en"
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.content.decode().count('lang="en"') >= 1
    assert "Tableau de bord" not in dashboard.content.decode()


def test_the_account_page_still_requires_a_first_name_and_says_so_at_the_field(client):
    user = translator("en", username="traductrice-en", language="en")
    client.force_login(user)

    response = client.post(
        reverse("wagtailadmin_account"),
        account_form(user, **{"name_email-first_name": "", "locale-preferred_language": "fr"}),
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert UserProfile.get_for_user(user).preferred_language == "en"
