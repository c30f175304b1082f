"""The rules of the book's tree: what may be created under what, in the models and in the admin."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from book.models import (
    BookPage,
    ChapterPage,
    ContributorIndexPage,
    ContributorPage,
    PartPage,
    ThemeIndexPage,
    ThemePage,
)
from tests.factories import (
    BookPageFactory,
    ChapterPageFactory,
    ContributorIndexPageFactory,
    PartPageFactory,
    ThemeIndexPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return Page.get_first_root_node()


@pytest.fixture
def book():
    return BookPageFactory()


@pytest.fixture
def part(book):
    return PartPageFactory(parent=book)


@pytest.fixture
def admin_client(client, django_user_model):
    """A superuser: what the admin refuses then is refused by the rules, not by permissions."""
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@localhost", "not used"))
    return client


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


def page_form_data(title, slug):
    return nested_form_data({"title": title, "slug": slug, "comments": inline_formset([])})


def test_a_book_is_created_at_the_root_only(root, book, part):
    assert BookPage.can_create_at(root)
    assert not BookPage.can_create_at(book)
    assert not BookPage.can_create_at(part)


def test_a_book_cannot_be_nested_under_an_ordinary_page(root):
    plain_page = root.add_child(instance=Page(title="Accueil", slug="accueil-ordinaire"))

    assert not BookPage.can_create_at(plain_page)


def test_parts_live_directly_under_a_book(root, book, part):
    assert PartPage.can_create_at(book)
    assert not PartPage.can_create_at(root)
    assert not PartPage.can_create_at(part)
    assert not PartPage.can_create_at(ContributorIndexPageFactory(parent=book))


def test_chapters_live_directly_under_a_part(root, book, part):
    assert ChapterPage.can_create_at(part)
    assert not ChapterPage.can_create_at(book)
    assert not ChapterPage.can_create_at(root)
    assert not ChapterPage.can_create_at(ChapterPageFactory(parent=part))
    assert not ChapterPage.can_create_at(ThemeIndexPageFactory(parent=book))


def test_contributors_and_themes_live_under_their_own_index(book, part):
    contributor_index = ContributorIndexPageFactory(parent=book)
    theme_index = ThemeIndexPageFactory(parent=book)

    assert ContributorPage.can_create_at(contributor_index)
    assert ThemePage.can_create_at(theme_index)
    for other in (book, part, theme_index):
        assert not ContributorPage.can_create_at(other)
    for other in (book, part, contributor_index):
        assert not ThemePage.can_create_at(other)


@pytest.mark.parametrize(
    ("index_model", "index_factory"),
    [(ContributorIndexPage, ContributorIndexPageFactory), (ThemeIndexPage, ThemeIndexPageFactory)],
    ids=["contributors", "themes"],
)
def test_a_book_has_at_most_one_index_of_each_kind(index_model, index_factory, book, part):
    assert index_model.can_create_at(book)
    assert not index_model.can_create_at(part)

    index_factory(parent=book)

    assert not index_model.can_create_at(book)
    assert index_model.can_create_at(BookPageFactory()), "another book has its own index"


def test_the_admin_refuses_a_chapter_outside_a_part(admin_client, book):
    response = admin_client.post(add_url(ChapterPage, book), page_form_data("Égaré", "egare"))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert not ChapterPage.objects.exists()


def test_the_admin_refuses_a_part_outside_a_book(admin_client, root, part):
    for parent in (root, part):
        response = admin_client.get(add_url(PartPage, parent))
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert PartPage.objects.count() == 1


def test_the_admin_refuses_a_second_contributor_index(admin_client, book):
    ContributorIndexPageFactory(parent=book)

    response = admin_client.post(add_url(ContributorIndexPage, book), page_form_data("Auteurs", "auteurs"))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert ContributorIndexPage.objects.child_of(book).count() == 1


def test_the_admin_creates_a_part_under_a_book(admin_client, book):
    response = admin_client.post(
        add_url(PartPage, book),
        page_form_data("Première partie", "premiere-partie"),
    )

    assert response.status_code == 302
    assert PartPage.objects.child_of(book).filter(slug="premiere-partie").exists()


def test_the_admin_offers_only_chapters_under_a_part(admin_client, part):
    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(part.pk,)))

    # With a single allowed type, the admin goes straight to its form.
    assert response.status_code == 302
    assert response.url == add_url(ChapterPage, part)


def test_the_admin_offers_a_book_its_three_kinds_of_children(admin_client, book):
    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(book.pk,)))

    assert response.status_code == 200
    offered = {
        (app_label, model_name) for _name, app_label, model_name, _desc in response.context["page_types"]
    }
    assert offered == {("book", "partpage"), ("book", "contributorindexpage"), ("book", "themeindexpage")}
