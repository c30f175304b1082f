"""What wagtail-localize's translation editor offers each person, and in which direction it writes.

Its footer is built in the browser from the rights the editor view computes:
the page's own rights for pages, but model-wide rights for cities and sectors,
and a "Convert to alias page" and a "Stop synced translation" for everyone who
may edit. Here the offer follows what the person may really do, as the views
behind each action check it (see ``cms.wagtail_hooks``).
"""

import json

from wagtail.models import DraftStateMixin, Page
from wagtail.permissions import policy_registry

from cms.permissions import is_editor, locale_direction


def may_stop_sync(user):
    """Stopping a synced translation unties it from its source for good: an editor's decision.

    The item leaves the translation workflow (its queue shows it not started)
    and is edited as an ordinary page from then on, which decides how the
    book is translated, not a step of translating it.
    """
    return is_editor(user)


def may_publish(user, instance):
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    return policy_registry.get_by_type(type(instance)).user_has_permission_for_instance(
        user, "publish", instance
    )


def may_delete(user, instance):
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_delete()
    return policy_registry.get_by_type(type(instance)).user_has_permission_for_instance(
        user, "delete", instance
    )


def editor_props(props, user, instance):
    """The translation editor's props (JSON) with only the actions ``user`` may perform on ``instance``."""
    data = json.loads(props)
    perms, links = data["perms"], data["links"]
    publisher = may_publish(user, instance)
    if isinstance(instance, DraftStateMixin):
        # A snippet without drafts is saved by its "Publish" button: it stays.
        perms["canPublish"] = perms["canPublish"] and publisher
    perms["canDelete"] = perms["canDelete"] and may_delete(user, instance)
    if not publisher:
        # Converting to an alias publishes the source's content in this language.
        links["convertToAliasUrl"] = None
    return json.dumps(data)


def text_direction(locale):
    """The ``lang`` and ``dir`` attributes of text written in ``locale``."""
    return {"lang": locale.language_code, "dir": locale_direction(locale.language_code)}
