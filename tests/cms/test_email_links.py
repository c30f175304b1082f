"""Links in the e-mails staff receive lead to the admin's own address, never to a default host."""

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Site, Workflow

from cms.links import LOCAL_ADMIN_BASE_URL
from tests.cms.localization_support import (
    assign_item,
    editor,
    make_book,
    make_locales,
    publish,
    reviewer,
    start,
    translator,
)

pytestmark = pytest.mark.django_db

SITE = "https://livre.example.org"


@pytest.fixture
def locales():
    return make_locales()


def links(text):
    """The addresses an e-mail sends its reader to (its HTML's own doctype and namespace left out)."""
    return [
        link for link in re.findall(r"https?://[^\s\"<>]+", text) if not link.startswith("http://www.w3.org/")
    ]


def assign(client, page, assignee, **extra):
    return client.post(
        reverse("localization:action", args=["en"]),
        {"action": "assign", "items": [f"page:{page.translation_key}"], "assignee": assignee.pk},
        follow=True,
        **extra,
    )


def test_assignment_email_links_to_the_configured_admin_address(client, settings, locales):
    settings.WAGTAILADMIN_BASE_URL = SITE
    book = make_book(chapters=1)
    alice = translator("en", username="alice")
    client.force_login(reviewer("en"))

    assign(client, book.chapters[0], alice)

    [message] = mail.outbox
    assert links(message.body) == [f"{SITE}{reverse('localization:queue', args=['en'])}"]


def test_without_a_configured_address_the_email_follows_the_request(client, settings, locales):
    settings.WAGTAILADMIN_BASE_URL = LOCAL_ADMIN_BASE_URL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "cms.example.net"]
    book = make_book(chapters=1)
    alice = translator("en", username="alice")
    client.force_login(reviewer("en"))

    assign(client, book.chapters[0], alice, HTTP_HOST="cms.example.net:8102")

    [message] = mail.outbox
    assert links(message.body) == [f"http://cms.example.net:8102{reverse('localization:queue', args=['en'])}"]
    assert "127.0.0.1" not in message.body and "localhost" not in message.body


def test_source_change_email_outside_a_request_links_to_the_configured_address(settings, locales):
    settings.WAGTAILADMIN_BASE_URL = SITE
    book = make_book(chapters=1)
    assign_item(book.chapters[0], locales["en"], translator("en", username="alice"))
    start(book.chapters[0], locales["en"])
    chapter = book.chapters[0]
    chapter.title = "Chapitre revu"
    mail.outbox.clear()

    publish(chapter)  # as the worker publishes what was scheduled, outside any request

    [message] = mail.outbox
    assert links(message.body)
    assert all(link.startswith(f"{SITE}/admin/") for link in links(message.body))


def wagtail_email(name, **context):
    return render_to_string(f"wagtailadmin/notifications/{name}", context)


def test_wagtails_workflow_emails_link_to_the_configured_admin_address(settings, locales):
    settings.WAGTAILADMIN_BASE_URL = SITE
    book = make_book(chapters=1)
    # The demo's default site is called localhost: its pages are still given on the admin's address.
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": book.book}
    )
    chapter = book.chapters[0]
    workflow = Workflow.objects.create(name="Relecture")
    task = GroupApprovalTask.objects.create(name="Approbation")
    user = editor()

    texts = [
        wagtail_email("workflow_state_approved.txt", page=chapter, workflow=workflow, user=user),
        wagtail_email("workflow_state_approved.html", page=chapter, workflow=workflow, user=user),
        wagtail_email(
            "task_state_submitted.txt", page=chapter, task=task, workflow=workflow, user=user, object=chapter
        ),
    ]

    found = [link for text in texts for link in links(text)]
    assert found
    assert [link for link in found if not link.startswith(SITE)] == []
    assert f"{SITE}{chapter.url}" in texts[0]


def test_a_page_of_another_site_keeps_that_sites_address(settings, locales):
    settings.WAGTAILADMIN_BASE_URL = SITE
    book = make_book(chapters=1)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="autre.example.com", port=443, root_page=book.book, is_default_site=False)
    Site.objects.create(hostname="default.example.com", port=443, root_page=book.part, is_default_site=True)
    workflow = Workflow.objects.create(name="Relecture")

    text = wagtail_email(
        "workflow_state_approved.txt", page=book.contributor, workflow=workflow, user=editor()
    )

    assert "https://autre.example.com/" in text
