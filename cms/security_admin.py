"""Sign-in lockouts in the Wagtail admin: who failed to sign in, who is locked out, and how to unlock them.

Two lists under Settings, for editors (the permissions come with the
"Editors" role, :mod:`cms.roles`) and superusers:

- *Sign-in lockouts*: django-axes' counters, one per account, address and
  browser, with whether they block signing in now; "Unlock" lifts the block
  of that account and of that address.
- *Failed sign-ins*: every failed attempt, read only.
"""

import logging

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

logger = logging.getLogger(__name__)


class RecordPermissionPolicy(ModelPermissionPolicy):
    """Records written by the sign-in machinery: viewed, or deleted where the model allows, never added or edited."""

    def __init__(self, model, deletable=False):
        super().__init__(model)
        self.actions = {"view", "delete"} if deletable else {"view"}

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action in self.actions])


# Registered before the viewsets, which would otherwise fall back to Wagtail's model-wide policy.
register_permission_policy(
    AccessAttempt, RecordPermissionPolicy(AccessAttempt, deletable=True), exact_class=True
)
register_permission_policy(AccessFailureLog, RecordPermissionPolicy(AccessFailureLog), exact_class=True)


def is_locked(attempt):
    """Whether this counter blocks signing in now (axes counts per account and per address, across counters)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if attempt.attempt_time < since:
        return False
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    for field in ("username", "ip_address"):
        value = getattr(attempt, field)
        if value is None:
            continue
        failures = sum(recent.filter(**{field: value}).values_list("failures_since_start", flat=True))
        if failures >= settings.AXES_FAILURE_LIMIT:
            return True
    return False


def _describe(attempt):
    return gettext("%(username)s from %(address)s") % {
        "username": attempt.username or "—",
        "address": attempt.ip_address or "—",
    }


class UnlockView(generic.DeleteView):
    """Deleting a counter lifts the block of its account and of its address, as ``axes_reset_*`` would."""

    page_title = _("Unlock")
    template_name = "cms/security/confirm_unlock.html"

    def get_page_subtitle(self):
        return _describe(self.object)

    @property
    def confirmation_message(self):
        return gettext(
            "Unlock signing in for the account '%(username)s' and from the address %(address)s? "
            "Their failed attempts are forgotten."
        ) % {"username": self.object.username or "—", "address": self.object.ip_address or "—"}

    def get_success_message(self):
        return gettext("Signing in is unlocked for %(attempt)s.") % {"attempt": _describe(self.object)}

    def delete_action(self):
        attempt = self.object
        query = Q(pk=attempt.pk)
        if attempt.username is not None:
            query |= Q(username=attempt.username)
        if attempt.ip_address is not None:
            query |= Q(ip_address=attempt.ip_address)
        count, _deleted = AccessAttempt.objects.filter(query).delete()
        logger.warning(
            "Sign-in unlocked for %r from %s by %s (%d counters reset).",
            attempt.username,
            attempt.ip_address,
            self.request.user.get_username(),
            count,
        )


class LockoutViewSet(ModelViewSet):
    model = AccessAttempt
    icon = "lock"
    menu_label = _("Sign-in lockouts")
    name = "signin_lockouts"
    url_prefix = "security/lockouts"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    delete_view_class = UnlockView
    # Never shown: RecordPermissionPolicy refuses adding and editing, to superusers too.
    form_fields = ["username"]
    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        Column("locked", label=_("Blocks signing in"), accessor=is_locked),
        "attempt_time",
        "path_info",
    ]
    list_filter = ["attempt_time"]
    inspect_view_fields = [
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
        "path_info",
        "user_agent",
    ]
    ordering = ["-attempt_time"]


class FailedSignInViewSet(ModelViewSet):
    model = AccessFailureLog
    icon = "warning"
    menu_label = _("Failed sign-ins")
    name = "signin_failures"
    url_prefix = "security/failures"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["username"]
    list_display = ["username", "ip_address", "locked_out", "attempt_time", "path_info"]
    list_filter = ["locked_out", "attempt_time"]
    inspect_view_fields = ["username", "ip_address", "locked_out", "attempt_time", "path_info", "user_agent"]
    ordering = ["-attempt_time"]
