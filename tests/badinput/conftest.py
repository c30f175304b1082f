import pytest
from django.utils import translation
from wagtail.users.models import UserProfile


@pytest.fixture(autouse=True)
def english_messages():
    """Messages and form errors read in English; the project's default language is French."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin_in_english(admin_user):
    """The superuser reading the admin in English, so that messages compare with the strings below."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_user


@pytest.fixture
def english_admin_client(client, admin_in_english):
    client.force_login(admin_in_english)
    return client
