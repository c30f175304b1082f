"""The people who work on the book in the admin, and what each of them may do.

A role is a Django group and the permissions it holds: model permissions,
permissions on the root collection of images and documents, and page
permissions on a part of the page tree. Each role is described by a function
returning a :class:`Role`, so a role that depends on a language (translators
and reviewers of one locale) is the same function called with that
language's code. :func:`apply_role` grants what a role describes and never
takes away what an administrator granted by hand, so it may run again at any
time, for instance after a new book or a new language was created.

The source-language roles:

``Editors``
    Direct the book: structure it, write, review and publish in every
    language, and manage cities, sectors, images and documents.
``Reviewers``
    Approve or reject the changes submitted for the editorial review of the
    source-language book, and publish it.
``Authors``
    Write chapters and submit them for review; they cannot publish.

The roles of each target language (``en``, ``es``...):

``Translators (<language>)``
    Translate that language's pages, cities and sectors as drafts and submit
    them to the language's "Translation review"; they cannot publish.
``Reviewers (<language>)``
    Approve or reject the translations submitted for review in that
    language, and publish them.

Page permissions are Wagtail's: ``add`` lets a user create pages and edit the
pages they own, ``change`` lets them edit any page, ``publish`` publish and
unpublish, ``lock`` lock a page (and unlock their own locks), ``unlock``
unlock anyone's lock, ``bulk_delete`` delete a page with its subpages.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from book import kinds
from book.models import BookPage
from cms.labels import (
    AUTHORS,
    EDITORIAL_REVIEW_TASK,
    EDITORIAL_REVIEW_WORKFLOW,
    EDITORS,
    REVIEWERS,
    TRANSLATION_REVIEW_TASK,
    TRANSLATION_REVIEW_WORKFLOW,
    TRANSLATORS,
    source_name,
    stored_forms,
    with_language,
)

# The names of groups, workflows and tasks are stored in English and shown in
# each reader's language (see cms.labels).
ADMIN_ACCESS = "wagtailadmin.access_admin"
SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"


def group_name(role_name, locale=None):
    """A role's group for one language: 'Reviewers' for the source language, 'Reviewers (en)' for English."""
    if locale is None or locale == settings.BOOK_SOURCE_LANGUAGE:
        return role_name
    return with_language(role_name, locale)


# The sign-in lockouts and failed sign-ins (django-axes, shown by cms.security_admin).
SIGN_IN_SECURITY_PERMISSIONS = (
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
)

# The Editions screen: see every language's files, and ask for a build.
EDITION_PERMISSIONS = ("book.view_edition", "book.change_edition")

WEBHOOK_PERMISSIONS = (
    "webhooks.add_subscriber",
    "webhooks.change_subscriber",
    "webhooks.delete_subscriber",
    "webhooks.view_subscriber",
    "webhooks.view_delivery",
)
# The sites that read the API with a key, and their usage (api.wagtail_hooks).
API_SITE_PERMISSIONS = (
    "api.add_apisite",
    "api.change_apisite",
    "api.delete_apisite",
    "api.view_apisite",
)


def _snippet_permissions(actions, models=None):
    if models is None:
        models = [kind.model_name for kind in kinds.snippets()]
    return tuple(f"book.{action}_{model}" for model in models for action in actions)


@dataclass(frozen=True)
class Role:
    """A group and the permissions its members hold.

    ``locale`` places the page permissions: ``None`` on the root page (every
    book in every language, and new books), a language code on each book of
    that language.
    """

    group_name: str
    page_permissions: tuple[str, ...] = ()
    locale: str | None = None
    permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = ()

    def pages(self):
        """The pages the page permissions are granted on."""
        if self.locale is None:
            return [Page.get_first_root_node()]
        return list(
            BookPage.objects.filter(locale__language_code=self.locale)
            .select_related("locale")
            .order_by("path")
        )


def editors():
    """Editors direct the book, so they hold every everyday power, in every language.

    - Pages, on the root page so that every book, every language and any new
      book is covered: add, change, publish, lock and unlock. Editors publish
      directly (the workflow is how others' work reaches publication, not a
      brake on the editorial direction), and unlock locks left by others.
      Not ``bulk_delete``: removing a part together with its chapters is rare
      and irreversible, left to administrators; editors can still delete a
      single page that has no subpages.
    - Cities and sectors: add, change, delete and publish. These small
      collections are the editors' to maintain, drafts included.
    - Images and documents, on the root collection: add, change, choose and
      delete, as keepers of the media library.
    - Starting translations (wagtail-localize), which the translation queues
      of every language begin with.
    - Webhook subscribers (the sites told of each change): add, change,
      delete and view; and the record of what was sent to them, to view.
    - API sites (the sites that read the book with a key): add, change (make
      and revoke keys), delete and view, with their usage.
    - Sign-in lockouts: view them and unlock (delete a counter), and view
      the failed sign-ins, to help a colleague locked out and to notice
      password guessing.
    - Editions: see the EPUB and PDF of every language and build them now.
    """
    return Role(
        group_name=EDITORS,
        page_permissions=("add", "change", "publish", "lock", "unlock"),
        locale=None,
        permissions=(
            ADMIN_ACCESS,
            SUBMIT_TRANSLATION,
            *_snippet_permissions(("add", "change", "delete", "publish", "view")),
            *WEBHOOK_PERMISSIONS,
            *API_SITE_PERMISSIONS,
            *SIGN_IN_SECURITY_PERMISSIONS,
            *EDITION_PERMISSIONS,
        ),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtailimages.delete_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
            "wagtaildocs.delete_document",
        ),
    )


def _is_target(locale):
    return locale is not None and locale != settings.BOOK_SOURCE_LANGUAGE


def reviewers(locale=None):
    """Reviewers approve the work submitted to the review of one language's book.

    Approving is what the language's review workflow task gives them
    ("Editorial review" for the source language, "Translation review (<language>)"
    for the others); the permissions let them do it well:

    - Pages, on each book of their language (the source language by
      default) and nowhere else, so that a reviewer of one language never
      publishes another: change (to open, read and correct what they
      review), publish (to publish and unpublish; a reviewer is trusted to
      publish directly, and this is what makes them a reviewer rather than an
      author), lock (to keep a page still while reviewing it). Not ``add``:
      reviewers do not create pages.
    - Cities and sectors: in the source language, view only, since editors
      maintain them; in a target language, also change and publish, since
      their translations are published by that language's reviewers, who
      approve them in the "Translation review (cities and sectors)". The
      model permissions cover every language: the admin confines them to the
      reviewer's own (see :mod:`cms.permissions`).
    - Images and documents: choose only, to check and correct a page's
      references without managing the collections.
    """
    snippet_actions = ("view", "change", "publish") if _is_target(locale) else ("view",)
    return Role(
        group_name=group_name(REVIEWERS, locale),
        page_permissions=("change", "publish", "lock"),
        locale=locale or settings.BOOK_SOURCE_LANGUAGE,
        permissions=(ADMIN_ACCESS, *_snippet_permissions(snippet_actions)),
        collection_permissions=("wagtailimages.choose_image", "wagtaildocs.choose_document"),
    )


def translators(locale):
    """Translators of one language translate its book; they never publish.

    - Pages, on each book of their language and nowhere else: change only,
      which lets them open any page of that tree in the translation editor
      and save drafts, but not create, publish, lock, move or delete pages
      (Wagtail would let ``change`` delete and move unpublished pages; the
      book does not, see :class:`cms.permissions.BookPagePermissionTester`). Their
      way to publication is submitting to the language's "Translation review".
      Translations are started from the localization queue, never with
      wagtail-localize's "Translate this page" form, whose permission covers
      every language at once.
    - Cities and sectors: view and change (no publish), confined by the admin
      to their own language (see :mod:`cms.permissions`); they submit them to
      the "Translation review (cities and sectors)".
    - Images and documents: choose, for the rare translated image or link.
    """
    return Role(
        group_name=group_name(TRANSLATORS, locale),
        page_permissions=("change",),
        locale=locale,
        permissions=(ADMIN_ACCESS, *_snippet_permissions(("view", "change"))),
        collection_permissions=("wagtailimages.choose_image", "wagtaildocs.choose_document"),
    )


def authors(locale=None):
    """Authors write chapters and submit them for review; they never publish.

    - Pages, on each book of their language (the source language by
      default): add only, which in Wagtail means creating pages and editing
      the pages one owns. An author's way to publication is submitting to
      the "Editorial review" workflow.
    - Cities and sectors: view, to choose them in a chapter.
    - Images and documents: add and choose, to illustrate their chapters
      (adding lets them edit the files they uploaded, not others').
    """
    return Role(
        group_name=group_name(AUTHORS, locale),
        page_permissions=("add",),
        locale=locale or settings.BOOK_SOURCE_LANGUAGE,
        permissions=(ADMIN_ACCESS, *_snippet_permissions(("view",))),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.choose_document",
        ),
    )


def source_roles():
    """The roles of the source-language editorial team, in the order they are applied."""
    return [editors(), reviewers(), authors()]


def target_languages():
    """The languages the book is translated into, in settings order."""
    return [code for code in settings.BOOK_TARGET_LANGUAGES if _is_target(code)]


def language_roles(locale):
    """The roles of one target language's team, in the order they are applied."""
    return [translators(locale), reviewers(locale)]


def all_roles():
    """Every role of the book: the source-language team, then each target language's."""
    return [*source_roles(), *(role for locale in target_languages() for role in language_roles(locale))]


@dataclass
class RoleResult:
    """What applying a role changed."""

    group: Group
    created: bool
    granted: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)


def _permissions(dotted_names):
    """The Permission of each 'app_label.codename', fetched in one query."""
    query = Q(pk__in=[])
    for dotted in dotted_names:
        app_label, codename = dotted.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(query).select_related("content_type")
    }
    missing = sorted(set(dotted_names) - found.keys())
    if missing:
        raise Permission.DoesNotExist(f"Unknown permissions: {', '.join(missing)}")
    return found


@transaction.atomic
def apply_role(role):
    """Create the role's group if needed and grant whatever it lacks of the role's permissions.

    A constant number of queries whatever the role, so that setup_roles stays
    quick however many languages the book has.
    """
    group, created = Group.objects.get_or_create(name=role.group_name)
    result = RoleResult(group=group, created=created)
    page_permission_names = [f"wagtailcore.{action}_page" for action in role.page_permissions]
    permissions = _permissions({*role.permissions, *role.collection_permissions, *page_permission_names})

    held = set(group.permissions.values_list("pk", flat=True))
    missing = [dotted for dotted in role.permissions if permissions[dotted].pk not in held]
    group.permissions.add(*(permissions[dotted] for dotted in missing))
    result.granted.extend(missing)

    root_collection = Collection.get_first_root_node()
    held = set(
        GroupCollectionPermission.objects.filter(group=group, collection=root_collection).values_list(
            "permission_id", flat=True
        )
    )
    missing = [dotted for dotted in role.collection_permissions if permissions[dotted].pk not in held]
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=root_collection, permission=permissions[dotted])
        for dotted in missing
    )
    result.granted.extend(f"{dotted} @ {root_collection}" for dotted in missing)

    result.pages = role.pages()
    held = set(
        GroupPagePermission.objects.filter(group=group, page__in=result.pages).values_list(
            "page_id", "permission_id"
        )
    )
    links = []
    for page in result.pages:
        for action, dotted in zip(role.page_permissions, page_permission_names, strict=True):
            permission = permissions[dotted]
            if (page.pk, permission.pk) not in held:
                links.append(GroupPagePermission(group=group, page=page, permission=permission))
                result.granted.append(f"{action}_page @ {page.title} ({page.locale.language_code})")
    GroupPagePermission.objects.bulk_create(links)
    return result


@dataclass
class WorkflowResult:
    """What ensuring a review workflow changed.

    What it governs is books (pages, linked by WorkflowPage) or models of
    snippets (their names, linked by WorkflowContentType).
    """

    workflow: Workflow
    created: bool
    task_created: bool
    assigned: list[Page | str] = field(default_factory=list)
    already_assigned: list[Page | str] = field(default_factory=list)
    kept_other: list[WorkflowPage | WorkflowContentType] = field(default_factory=list)


def stored_name(name):
    """The name to store (English), and every form it may have been stored under (see cms.labels)."""
    source, language_code = source_name(name)
    if source is None:
        return name, {name}
    return name, stored_forms(source, language_code)


def ensure_one_step_workflow(workflow_name, task_model, task_name, new_task=None):
    """The workflow named ``workflow_name``, made if missing with one task of ``task_model``.

    A workflow found is left as it is (its tasks, its active state):
    administrators may have changed it on purpose. The task of a new workflow
    is the one of ``task_model`` already named ``task_name`` (in any of its
    stored forms), or a new one, given to ``new_task`` to complete. Returns
    the :class:`WorkflowResult`, with nothing assigned yet.
    """
    workflow = review_workflow(workflow_name)
    if workflow is not None:
        return WorkflowResult(workflow=workflow, created=False, task_created=False)
    name, names = stored_name(task_name)
    task = task_model.objects.filter(name__in=names).order_by("pk").first()
    task_created = task is None
    if task_created:
        task = task_model.objects.create(name=name)
        if new_task is not None:
            new_task(task)
    workflow = Workflow.objects.create(name=stored_name(workflow_name)[0], active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return WorkflowResult(workflow=workflow, created=True, task_created=task_created)


def review_workflow_spec(locale=None):
    """The names and approving groups of a language's review workflow.

    The source language has the "Editorial review", approved by the
    Reviewers. Each target language has its own "Translation review
    (<language>)", approved by that language's reviewers and by the editors,
    so that a language whose reviewers are away never blocks publication.
    """
    if not _is_target(locale):
        return EDITORIAL_REVIEW_WORKFLOW, EDITORIAL_REVIEW_TASK, (REVIEWERS, EDITORS)
    return (
        with_language(TRANSLATION_REVIEW_WORKFLOW, locale),
        with_language(TRANSLATION_REVIEW_TASK, locale),
        (group_name(REVIEWERS, locale), EDITORS),
    )


def review_workflow(workflow_name=EDITORIAL_REVIEW_WORKFLOW):
    """The review workflow of that name, whichever language its name was stored in; None if missing."""
    _name, names = stored_name(workflow_name)
    return Workflow.objects.filter(name__in=names).order_by("pk").first()


def language_review_workflow(locale=None):
    """The review workflow of a language ("Translation review (en)"...); None if missing."""
    return review_workflow(review_workflow_spec(locale)[0])


@transaction.atomic
def ensure_review_workflow(
    workflow_name=EDITORIAL_REVIEW_WORKFLOW,
    task_name=EDITORIAL_REVIEW_TASK,
    reviewer_group_names=(REVIEWERS,),
    locale=None,
):
    """A one-step workflow, approval by groups of reviewers, on every book of a language.

    By default, the "Editorial review" of the source-language book by the
    Reviewers. The workflow is attached to each book page, so it governs the
    book's whole tree and takes precedence over Wagtail's default "Moderators
    approval" workflow on the root page. That default is kept: it still
    governs pages outside the books, and the books of languages whose own
    reviewers and workflow are not set up yet. A book that an administrator
    attached to another workflow by hand keeps it. The reviewers' groups must
    exist already (see :func:`apply_role`).
    """
    language_code = locale or settings.BOOK_SOURCE_LANGUAGE
    result = ensure_one_step_workflow(
        workflow_name,
        GroupApprovalTask,
        task_name,
        new_task=lambda task: task.groups.add(*Group.objects.filter(name__in=reviewer_group_names)),
    )
    workflow = result.workflow
    books = BookPage.objects.filter(locale__language_code=language_code).order_by("path")
    attached = dict(WorkflowPage.objects.filter(page__in=books).values_list("page_id", "workflow_id"))
    for book in books:
        existing_workflow_id = attached.get(book.pk)
        if existing_workflow_id is None:
            WorkflowPage.objects.create(page=book, workflow=workflow)
            result.assigned.append(book)
        elif existing_workflow_id == workflow.pk:
            result.already_assigned.append(book)
        else:
            result.kept_other.append(WorkflowPage.objects.select_related("workflow", "page").get(page=book))
    return result


def ensure_language_review_workflow(locale=None):
    """The review workflow of a language (see :func:`review_workflow_spec`), on every book of it."""
    workflow_name, task_name, group_names = review_workflow_spec(locale)
    return ensure_review_workflow(workflow_name, task_name, group_names, locale)


def extend_roles_to_book(book):
    """Give a new book the permissions and the review workflow of its language's roles.

    Only roles already set up are extended (their group exists): a fresh
    installation gets its roles from ``setup_roles``, which a new book does
    not replace. Returns the groups that were extended.
    """
    language_code = book.locale.language_code
    if _is_target(language_code):
        roles = language_roles(language_code)
    else:
        # Editors hold their permissions on the root page, which covers every new book already.
        roles = [role for role in source_roles() if role.locale is not None]
    existing = set(
        Group.objects.filter(name__in=[role.group_name for role in roles]).values_list("name", flat=True)
    )
    extended = [apply_role(role).group for role in roles if role.group_name in existing]
    _workflow_name, _task_name, approvers = review_workflow_spec(language_code)
    if approvers[0] in existing:
        ensure_language_review_workflow(language_code)
    return extended
