"""The editorial review: authors submit, reviewers approve or request changes, and who may publish.

The roles are designed so that authors reach publication only through the
"Editorial review" workflow, while reviewers (and editors) are trusted to
publish directly as well; reviewers' powers stop at the books of their
language.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from book.models import ChapterPage
from cms.roles import AUTHORS, EDITORS, REVIEWERS, apply_role, review_workflow, reviewers
from tests.factories import BookPageFactory, ChapterPageFactory, CityFactory, PartPageFactory

pytestmark = pytest.mark.django_db


def setup_roles():
    """Run the command; its report is returned in English, the language of the messages' originals."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("setup_roles", stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def book():
    return BookPageFactory(title="Intelligence artificielle et création")


@pytest.fixture
def part(book):
    return PartPageFactory(parent=book)


@pytest.fixture
def roles(book):
    """The roles, set up once the book exists, as an installation does."""
    setup_roles()


def member(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "not used")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def author(roles, django_user_model):
    return member(django_user_model, "autrice", AUTHORS)


@pytest.fixture
def reviewer(roles, django_user_model):
    return member(django_user_model, "relecteur", REVIEWERS)


@pytest.fixture
def editor(roles, django_user_model):
    return member(django_user_model, "editrice", EDITORS)


def client_for(client, user):
    client.force_login(user)
    return client


def chapter_form_data(title, slug, **fields):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "contributor_links": inline_formset([]),
            "theme_links": inline_formset([]),
            "sector_links": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Un texte à relire.</p>"))]),
            "comments": inline_formset([]),
            **fields,
        }
    )


def submit(client, chapter):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(chapter.pk,)),
        chapter_form_data(chapter.title, chapter.slug, **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302, response.context["form"].errors
    chapter.refresh_from_db()
    return chapter


def workflow_action(client, chapter, action, comment=""):
    task_state = chapter.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(chapter.pk, action, task_state.pk)),
        {"comment": comment},
    )


def editorial_review():
    workflow = review_workflow()
    assert workflow is not None
    return workflow


@pytest.fixture
def submitted_chapter(client, author, part):
    """A chapter its author wrote and submitted for review."""
    chapter = ChapterPageFactory(parent=part, owner=author, live=False, title="Chapitre à relire")
    submit(client_for(client, author), chapter)
    client.logout()
    return chapter


def test_an_author_creates_a_chapter_and_submits_it_for_review(client, author, part):
    response = client_for(client, author).post(
        reverse("wagtailadmin_pages:add", args=("book", "chapterpage", part.pk)),
        chapter_form_data("Nouveau chapitre", "nouveau-chapitre", **{"action-submit": "action-submit"}),
    )

    assert response.status_code == 302, response.context["form"].errors
    chapter = ChapterPage.objects.child_of(part).get(slug="nouveau-chapitre")
    assert not chapter.live
    assert chapter.owner == author
    state = chapter.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == editorial_review()
    assert state.requested_by == author


def test_submitting_an_existing_chapter_starts_the_editorial_review(submitted_chapter, author):
    state = submitted_chapter.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == editorial_review()
    assert submitted_chapter.current_workflow_task.specific.groups.filter(name=REVIEWERS).exists()
    assert not submitted_chapter.live


def test_a_reviewer_approves_and_the_chapter_goes_live(client, reviewer, submitted_chapter):
    response = workflow_action(client_for(client, reviewer), submitted_chapter, "approve")

    assert response.status_code == 302
    submitted_chapter.refresh_from_db()
    assert submitted_chapter.live
    assert submitted_chapter.live_revision.content["body"]
    state = WorkflowState.objects.for_instance(submitted_chapter).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert TaskState.objects.get(workflow_state=state).finished_by == reviewer


def test_a_reviewer_requests_changes_with_a_comment(client, reviewer, submitted_chapter):
    comment = "Merci de préciser la source de la citation."

    response = workflow_action(client_for(client, reviewer), submitted_chapter, "reject", comment)

    assert response.status_code == 302
    submitted_chapter.refresh_from_db()
    assert not submitted_chapter.live
    state = WorkflowState.objects.for_instance(submitted_chapter).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.current_task_state
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == comment
    assert task_state.finished_by == reviewer
    history = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=(submitted_chapter.pk, state.pk))
    )
    assert comment in history.content.decode()


def test_an_author_cannot_approve_their_own_chapter(client, author, submitted_chapter):
    response = workflow_action(client_for(client, author), submitted_chapter, "approve")

    # The admin turns a refused permission into a redirect to its home page.
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    submitted_chapter.refresh_from_db()
    assert not submitted_chapter.live
    assert submitted_chapter.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_an_author_cannot_publish_outside_the_workflow(client, author, part):
    chapter = ChapterPageFactory(parent=part, owner=author, live=False)

    response = client_for(client, author).post(
        reverse("wagtailadmin_pages:edit", args=(chapter.pk,)),
        chapter_form_data("Publié sans relecture ?", chapter.slug, **{"action-publish": "action-publish"}),
    )

    assert response.status_code == 302
    chapter.refresh_from_db()
    assert not chapter.live
    assert chapter.get_latest_revision_as_object().title == "Publié sans relecture ?"
    assert not chapter.permissions_for_user(author).can_publish()


def test_an_author_cannot_edit_a_chapter_of_someone_else(author, part):
    chapter = ChapterPageFactory(parent=part, live=False)

    assert not chapter.permissions_for_user(author).can_edit()


def test_an_author_opens_the_chapter_form_and_the_choosers_it_needs(client, author, part):
    city = CityFactory(name="Cannes")
    chapter = ChapterPageFactory(parent=part, owner=author, live=False)
    author_client = client_for(client, author)

    assert author_client.get(reverse("wagtailadmin_pages:edit", args=(chapter.pk,))).status_code == 200
    cities = author_client.get(reverse("wagtailsnippetchoosers_book_city:choose"))
    assert cities.status_code == 200
    assert city.name in cities.content.decode()
    assert author_client.get(reverse("wagtailimages_chooser:choose")).status_code == 200


def test_reviewers_may_publish_their_language_only(reviewer, part):
    chapter = ChapterPageFactory(parent=part, live=False)
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))
    english_chapter = ChapterPageFactory(parent=PartPageFactory(parent=english_book), live=False)

    assert chapter.permissions_for_user(reviewer).can_publish()
    assert not english_chapter.permissions_for_user(reviewer).can_publish()
    assert not english_chapter.permissions_for_user(reviewer).can_edit()
    assert not part.permissions_for_user(reviewer).can_add_subpage()


def test_editors_may_publish_every_book_in_every_language(editor, part):
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))

    for page in (part, ChapterPageFactory(parent=part, live=False), english_book):
        assert page.permissions_for_user(editor).can_publish()
    assert part.permissions_for_user(editor).can_add_subpage()
    assert english_book.permissions_for_user(editor).can_add_subpage()


def test_editors_delete_single_pages_but_not_a_part_with_its_chapters(editor, part):
    chapter = ChapterPageFactory(parent=part)

    assert chapter.permissions_for_user(editor).can_delete()
    assert not part.permissions_for_user(editor).can_delete()


def test_the_editorial_review_governs_every_source_book_and_no_other(book, part):
    other_book = BookPageFactory()
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))

    setup_roles()

    workflow = editorial_review()
    assert WorkflowPage.objects.get(page=book).workflow == workflow
    assert WorkflowPage.objects.get(page=other_book).workflow == workflow
    assert ChapterPageFactory(parent=part).get_workflow() == workflow
    assert english_book.get_workflow() != workflow


def counts():
    return {
        "groups": Group.objects.count(),
        "group permissions": Permission.objects.filter(group__isnull=False).count(),
        "page permissions": GroupPagePermission.objects.count(),
        "collection permissions": GroupCollectionPermission.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": GroupApprovalTask.objects.count(),
        "workflow tasks": WorkflowTask.objects.count(),
        "workflow pages": WorkflowPage.objects.count(),
    }


def test_setup_roles_is_idempotent(book):
    first_output = setup_roles()
    after_first = counts()

    second_output = setup_roles()

    assert counts() == after_first
    assert "Created group 'Reviewers'" in first_output
    assert "Created workflow" in first_output
    assert "Created" not in second_output
    assert "Found group 'Reviewers'" in second_output
    assert "granted" not in second_output


def test_setup_roles_run_again_covers_a_new_book_and_keeps_manual_grants(book):
    setup_roles()
    reviewers_group = Group.objects.get(name=REVIEWERS)
    hand_granted = Permission.objects.get(codename="change_city")
    reviewers_group.permissions.add(hand_granted)
    new_book = BookPageFactory()

    setup_roles()

    assert reviewers_group.permissions.filter(pk=hand_granted.pk).exists()
    assert GroupPagePermission.objects.filter(group=reviewers_group, page=new_book).exists()
    assert WorkflowPage.objects.get(page=new_book).workflow == editorial_review()


def test_a_book_attached_to_another_workflow_by_hand_keeps_it(book):
    other = Workflow.objects.create(name="Relecture juridique")
    WorkflowPage.objects.create(page=book, workflow=other)

    setup_roles()

    assert book.get_workflow() == other


def test_setup_roles_finds_its_workflow_whatever_the_interface_language(book):
    with translation.override("fr"):
        call_command("setup_roles", stdout=StringIO(), stderr=StringIO())
    after_first = counts()

    setup_roles()

    assert counts() == after_first


def test_a_role_for_another_language_is_a_group_of_its_own_on_that_language_books(book, django_user_model):
    english_book = BookPageFactory(locale=Locale.objects.create(language_code="en"))

    result = apply_role(reviewers("en"))

    assert result.group.name == "Reviewers (en)"
    assert result.pages == [english_book]
    english_reviewer = member(django_user_model, "reviewer-en", "Reviewers (en)")
    assert english_book.permissions_for_user(english_reviewer).can_publish()
    assert not book.permissions_for_user(english_reviewer).can_publish()
