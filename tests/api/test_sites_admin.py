"""Editors register the sites that read the book (Settings → API sites), make and revoke keys, and see who reads it."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from wagtail.models import Locale

from api import access, usage
from api.models import ApiKey, ApiSite, ApiUsage
from cms.roles import editors, translators
from tests.webhooks.conftest import staff_client

pytestmark = pytest.mark.django_db

SITES = "/admin/api_site/"
USAGE = "/admin/api_site/usage/"


@pytest.fixture
def editor(client, django_user_model):
    return staff_client(client, django_user_model, editors())


@pytest.fixture
def translator(django_user_model):
    Locale.objects.get_or_create(language_code="en")
    return staff_client(Client(), django_user_model, translators("en"))


def test_an_editor_registers_a_site_and_sees_its_key_once(editor):
    response = editor.post(
        f"{SITES}new/",
        {"name": "Ville de Lyon", "city": "Lyon", "contact": "web@lyon.example", "quota": "600"},
        follow=True,
    )
    site = ApiSite.objects.get()
    assert (site.name, site.city, site.contact, site.quota) == (
        "Ville de Lyon",
        "Lyon",
        "web@lyon.example",
        600,
    )
    page = response.content.decode()
    key = re.search(r"bk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", page).group(0)
    assert ApiKey.objects.get(site=site).hashed == access.hash_key(key)
    inspect = editor.get(f"{SITES}inspect/{site.pk}/").content.decode()
    assert key not in inspect
    assert key[:15] in inspect
    assert Client().get("/api/v1/sectors/", HTTP_AUTHORIZATION=f"Bearer {key}")["X-RateLimit-Limit"] == "600"


def test_a_quota_below_one_is_a_form_error(editor):
    response = editor.post(f"{SITES}new/", {"name": "Lyon", "quota": "0"})
    assert response.status_code == 200
    assert "quota" in response.context["form"].errors
    assert not ApiSite.objects.exists()


def test_an_editor_revokes_a_key_and_makes_a_new_one(editor):
    site = ApiSite.objects.create(name="Lyon")
    old = access.create_key(site)
    anonymous = Client()
    assert anonymous.get("/api/v1/sectors/", HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 200
    api_key = ApiKey.objects.get()
    editor.post(f"{SITES}keys/{api_key.pk}/revoke/")
    assert ApiKey.objects.get().revoked_at is not None
    assert anonymous.get("/api/v1/sectors/", HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 401
    response = editor.post(f"{SITES}{site.pk}/keys/new/", follow=True)
    new = re.search(r"bk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", response.content.decode()).group(0)
    assert anonymous.get("/api/v1/sectors/", HTTP_AUTHORIZATION=f"Bearer {new}").status_code == 200


def test_translators_never_reach_api_sites(translator):
    site = ApiSite.objects.create(name="Lyon")
    access.create_key(site)
    assert translator.get(SITES).status_code in (302, 403)
    assert translator.get(USAGE).status_code in (302, 403)
    assert translator.post(f"{SITES}keys/{ApiKey.objects.get().pk}/revoke/").status_code in (302, 403)
    assert ApiKey.objects.get().revoked_at is None


def test_the_usage_report_shows_each_site_a_chart_with_its_text_and_a_csv(editor):
    lyon = ApiSite.objects.create(name="Ville de Lyon", city="Lyon")
    today = usage.today()
    ApiUsage.objects.create(site=lyon, day=today, requests=120, not_modified=30, throttled=2)
    ApiUsage.objects.create(site=lyon, day=today - datetime.timedelta(days=3), requests=50)
    ApiUsage.objects.create(site=None, day=today, requests=7)
    # Older than 90 days: out of the report.
    ApiUsage.objects.create(site=lyon, day=today - datetime.timedelta(days=90), requests=999)

    page = editor.get(USAGE).content.decode()
    assert "Ville de Lyon" in page and "Without a key" in page
    assert 'role="img"' in page and "<desc" in page
    assert "207 requests in all" in page
    assert "999" not in page

    response = editor.get(USAGE, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["day", "site", "city", "requests", "not_modified", "throttled"]
    assert sorted(rows[1:]) == sorted(
        [
            [(today - datetime.timedelta(days=3)).isoformat(), "Ville de Lyon", "Lyon", "50", "0", "0"],
            [today.isoformat(), "Ville de Lyon", "Lyon", "120", "30", "2"],
            [today.isoformat(), "", "", "7", "0", "0"],
        ]
    )
    one_site = editor.get(USAGE, {"format": "csv", "site": lyon.pk}).content.decode()
    assert len(one_site.strip().splitlines()) == 3
    # The admin answers an unknown site as it answers any missing object (a 404 or back to the dashboard).
    refused = editor.get(USAGE, {"format": "csv", "site": "x"})
    assert refused.status_code in (302, 404)
    assert not refused.get("Content-Type", "").startswith("text/csv")


def test_a_sites_page_shows_its_own_usage(editor):
    lyon = ApiSite.objects.create(name="Ville de Lyon")
    ApiUsage.objects.create(site=lyon, day=usage.today(), requests=42)
    ApiUsage.objects.create(site=None, day=usage.today(), requests=1000)
    page = editor.get(f"{SITES}inspect/{lyon.pk}/").content.decode()
    assert "42 requests in all" in page
