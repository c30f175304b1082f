"""The Editions screen, its "Build now" button and the dashboard panel, and who may use them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from book.models import Edition
from cms.roles import apply_role, editors, reviewers, translators
from editions import builds

from .conftest import use_builder

# The builders are stood in for: these tests are about storing, scheduling and serving builds.
pytestmark = pytest.mark.usefixtures("small_builders")


def member(django_user_model, username, role):
    apply_role(role)
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "not used")
    user.groups.add(Group.objects.get(name=role.group_name))
    # The assertions read the admin in English.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor(django_user_model, book):
    return member(django_user_model, "editrice", editors())


@pytest.fixture
def built(book):
    return [builds.build(edition) for edition in builds.editions_of([book.book, book.en_book])]


def build_url(book_page, format_name):
    return reverse(
        "editions:build", args=[book_page.translation_key, book_page.locale.language_code, format_name]
    )


def test_editor_sees_every_edition_with_its_state(client, editor, book, built, monkeypatch):
    use_builder(monkeypatch, "pdf", "crashing")
    with pytest.raises(builds.BuildFailed):
        builds.build(Edition.objects.get(locale=book.english, format="pdf"))
    client.force_login(editor)

    response = client.get(reverse("editions:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-state="current"') == 3
    assert 'data-edition="en-pdf" data-state="failed"' in html
    assert "RuntimeError: The printer caught fire." in html
    assert "1 of 3 chapters" in html and "3 of 3 chapters" in html
    epub = Edition.objects.get(locale=book.french, format="epub")
    assert f'href="{epub.file.url}"' in html
    assert "A test warning." in html
    assert html.count("Build now") == 4


def test_outdated_edition_says_since_when_and_why(client, editor, book, built):
    from editions.tasks import mark_outdated

    mark_outdated(book.french.pk, Edition.Change.PUBLISHED, "Composer")
    client.force_login(editor)

    html = client.get(reverse("editions:index")).content.decode()
    assert 'data-edition="fr-epub" data-state="outdated"' in html
    assert "Outdated since" in html and "“Composer” published" in html


def test_build_now_queues_a_build_for_the_worker(client, editor, book, built):
    client.force_login(editor)
    DBTaskResult.objects.all().delete()

    response = client.post(build_url(book.en_book, "epub"))

    assert response.status_code == 302
    [queued] = DBTaskResult.objects.filter(task_path="editions.tasks.build_edition")
    assert queued.args_kwargs["args"] == [Edition.objects.get(locale=book.english, format="epub").pk]


def test_build_now_shows_the_edition_queued_then_building_then_current(client, editor, book, built):
    from editions import tasks

    client.force_login(editor)
    epub = Edition.objects.get(locale=book.english, format="epub")
    old_file = epub.file.url

    client.post(build_url(book.en_book, "epub"))

    html = client.get(reverse("editions:index")).content.decode()
    assert 'data-edition="en-epub" data-state="queued"' in html
    assert "Queued: waiting for the worker" in html
    assert f'href="{old_file}"' in html  # readers keep the file until the new one is complete
    assert 'data-edition="en-pdf" data-state="current"' in html

    # The worker takes it: the screen says it is being built.
    assert builds.claim(Edition.objects.get(pk=epub.pk))
    html = client.get(reverse("editions:index")).content.decode()
    assert 'data-edition="en-epub" data-state="building"' in html and "Building" in html
    Edition.objects.filter(pk=epub.pk).update(state=Edition.State.QUEUED, building_since=None)

    [result] = DBTaskResult.objects.filter(task_path="editions.tasks.build_edition")
    tasks.build_edition.call(*result.args_kwargs["args"])
    html = client.get(reverse("editions:index")).content.decode()
    assert 'data-edition="en-epub" data-state="current"' in html


def test_a_change_while_a_build_is_queued_keeps_it_queued(client, editor, book, built):
    from editions.tasks import mark_outdated, request_build

    epub = Edition.objects.get(locale=book.english, format="epub")
    request_build(epub)
    mark_outdated(book.english.pk, Edition.Change.PUBLISHED, "Composer")

    assert Edition.objects.get(pk=epub.pk).state == Edition.State.QUEUED
    assert Edition.objects.get(locale=book.english, format="pdf").state == Edition.State.OUTDATED


def test_build_now_does_not_mark_a_build_under_way_queued(client, editor, book, built):
    epub = Edition.objects.get(locale=book.english, format="epub")
    assert builds.claim(epub)
    client.force_login(editor)

    client.post(build_url(book.en_book, "epub"))

    assert Edition.objects.get(pk=epub.pk).state == Edition.State.BUILDING


def test_build_now_needs_post_and_a_known_format(client, editor, book):
    client.force_login(editor)

    assert client.get(build_url(book.book, "epub")).status_code == 405
    assert client.post(build_url(book.book, "mobi")).status_code == 404
    assert not DBTaskResult.objects.filter(task_path="editions.tasks.build_edition").exists()


def test_build_now_checks_the_csrf_token(editor, book):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(build_url(book.book, "epub")).status_code == 403


@pytest.mark.parametrize("role", ["translator", "reviewer"])
def test_language_roles_have_no_editions_screen(client, django_user_model, book, role):
    make = translators if role == "translator" else reviewers
    user = member(django_user_model, role, make("en"))
    client.force_login(user)

    assert client.get(reverse("editions:index")).status_code in (302, 403)
    assert client.post(build_url(book.en_book, "epub")).status_code in (302, 403)
    assert not DBTaskResult.objects.filter(task_path="editions.tasks.build_edition").exists()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("editions:index") not in home


def test_dashboard_lists_outdated_and_failed_editions(client, editor, book, built, monkeypatch):
    use_builder(monkeypatch, "pdf", "crashing")
    with pytest.raises(builds.BuildFailed):
        builds.build(Edition.objects.get(locale=book.english, format="pdf"))
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="editions-attention' in html or "editions-attention" in html
    assert html.count('data-state="failed"') == 1
    assert "AI and creation" in html
    assert reverse("editions:index") in html
