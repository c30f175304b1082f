"""Who may do what in which language: the rights behind the localization queues.

Rights follow the roles of :mod:`cms.roles`, read from a user's groups:

- editors (and superusers) may do everything, in every language, including
  the source language;
- reviewers of a language may do everything for that language: they
  approve, publish and hand out its work;
- translators of a language may work on it (open its queue, edit, submit for
  review, exchange PO files, sync) but neither publish nor assign.

Nobody but editors touches the source language's translations. Page edits are
also confined by Wagtail's page permissions on each language's tree; cities
and sectors, being snippets whose model permissions know nothing of
languages, are confined here, by :class:`LocaleConfinedPermissionPolicy`.
Deleting and moving pages take more than Wagtail asks, see
:class:`BookPagePermissionTester`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, PagePermissionTester
from wagtail.permission_policies.base import ModelPermissionPolicy

from cms.roles import EDITORS, REVIEWERS, TRANSLATORS, group_name, target_languages

ACTIONS = ("view_queue", "edit", "start", "submit", "publish", "po_download", "po_upload", "sync", "assign")
TRANSLATOR_ACTIONS = frozenset({"view_queue", "edit", "start", "submit", "po_download", "po_upload", "sync"})
REVIEWER_ACTIONS = frozenset(ACTIONS)

# Snippet permission actions, as Wagtail names them, and the right each one needs.
SNIPPET_ACTION_RIGHTS = {"change": "edit", "delete": "edit", "publish": "publish", "unpublish": "publish"}


def translatable_locales():
    """The target locales that exist, in settings order."""
    codes = target_languages()
    locales = {locale.language_code: locale for locale in Locale.objects.filter(language_code__in=codes)}
    return [locales[code] for code in codes if code in locales]


def _roles(user):
    """The names of the user's groups, read once per user object as Django caches permissions."""
    if not hasattr(user, "_cms_group_names"):
        user._cms_group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._cms_group_names


def is_editor(user):
    """Editors direct the whole book, in every language; superusers count as editors."""
    return user.is_authenticated and user.is_active and (user.is_superuser or EDITORS in _roles(user))


def can(user, action, locale_code):
    """Whether the user may do `action` (one of ACTIONS) for the language `locale_code`."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.")
    if not user.is_authenticated or not user.is_active:
        return False
    if is_editor(user):
        return True
    if locale_code not in target_languages():
        return False
    groups = _roles(user)
    if group_name(REVIEWERS, locale_code) in groups:
        return action in REVIEWER_ACTIONS
    if group_name(TRANSLATORS, locale_code) in groups:
        return action in TRANSLATOR_ACTIONS
    return False


def user_locales(user, action):
    """The language codes where the user may do `action`."""
    codes = [settings.BOOK_SOURCE_LANGUAGE, *target_languages()]
    return {code for code in codes if can(user, action, code)}


def translators_of(locale_code):
    """The active users who may be assigned work in that language."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=group_name(TRANSLATORS, locale_code))
        .distinct()
        .order_by("username")
    )


def locale_direction(language_code):
    """'rtl' for languages written right to left (Arabic, Hebrew, Persian...), else 'ltr'."""
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:
        # A language Django does not know is most likely written left to right.
        return "ltr"


class LocaleConfinedPermissionPolicy(ModelPermissionPolicy):
    """Snippet permissions confined to the languages where the user holds the matching right.

    The model permission is still required (a translator needs ``change_city``
    to edit a city at all); the instance's language must then be one where the
    user may edit (or publish, for publishing).
    """

    def _allowed_for_locale(self, user, action, locale_code):
        right = SNIPPET_ACTION_RIGHTS.get(action)
        return right is None or can(user, right, locale_code)

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and self._allowed_for_locale(
            user, action, instance.locale.language_code
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if is_editor(user) or all(action not in SNIPPET_ACTION_RIGHTS for action in actions):
            return instances
        codes = {
            code
            for action in actions
            for code in user_locales(user, SNIPPET_ACTION_RIGHTS.get(action, "view_queue"))
        }
        return instances.filter(locale__language_code__in=codes)


class BookPagePermissionTester(PagePermissionTester):
    """Wagtail's page rights, except that editing a page (``change``) no longer lets one delete it,
    and that only editors set the privacy of a translation.

    Wagtail lets whoever may edit a page delete it, and move it (moving asks the
    same right), as long as nothing in it is live. In the book, ``change``
    without ``publish`` is what translators hold: they write drafts of their
    language's pages and never remove or restructure them. So deleting, and
    moving, take ``publish`` (editors, reviewers), or else Wagtail's rule for
    ``add`` (authors): only one's own pages, none of them live. Superusers keep
    every right.
    """

    def can_set_view_restrictions(self):
        """A translation's privacy follows its source's (``cms.privacy``): only editors make it differ.

        Wagtail gives the dialog to whoever may publish, which includes each
        language's reviewers; they keep it on the source language's pages only.
        """
        allowed = super().can_set_view_restrictions()
        if not allowed or is_editor(self.user):
            return allowed
        return self.page.locale.language_code == settings.BOOK_SOURCE_LANGUAGE

    def can_delete(self, ignore_bulk=False):
        allowed = super().can_delete(ignore_bulk=ignore_bulk)
        if not allowed or self.user.is_superuser or "publish" in self.permissions:
            return allowed
        if "add" not in self.permissions:
            return False
        pages = self.page.get_descendants(inclusive=True)
        return not pages.exclude(live=False, owner=self.user).exists()


def use_book_page_permissions():
    """Make every page answer ``permissions_for_user`` with :class:`BookPagePermissionTester`.

    Wagtail builds a page's tester in ``Page.permissions_for_user`` and asks it
    everywhere a page action is offered or performed (the page listing and its
    menus, the editor's actions, the delete and move views, bulk actions, the
    admin API, wagtail-localize's translation editor), so answering there keeps
    the interface and the views in step. A page class that defines its own
    ``permissions_for_user`` keeps it.
    """
    wagtail_permissions_for_user = Page.permissions_for_user
    if getattr(wagtail_permissions_for_user, "book_rules", False):
        return

    def permissions_for_user(page, user):
        tester = wagtail_permissions_for_user(page, user)
        if type(tester) is PagePermissionTester:
            return BookPagePermissionTester(user, page)
        return tester

    permissions_for_user.book_rules = True
    permissions_for_user.__doc__ = wagtail_permissions_for_user.__doc__
    Page.permissions_for_user = permissions_for_user
