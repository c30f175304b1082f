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
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language_info
from wagtail.models import Locale
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


def _is_editor(user):
    return user.is_superuser or EDITORS in _roles(user)


def can(user, action, locale_code):
    """Whether the user may do `action` (one of ACTIONS) for the language `locale_code`."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.")
    if not user.is_authenticated or not user.is_active:
        return False
    if _is_editor(user):
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
        if _is_editor(user) or all(action not in SNIPPET_ACTION_RIGHTS for action in actions):
            return instances
        codes = {
            code
            for action in actions
            for code in user_locales(user, SNIPPET_ACTION_RIGHTS.get(action, "view_queue"))
        }
        return instances.filter(locale__language_code__in=codes)
