"""Publishing and expiring on schedule: what editors set to go live or to expire, done when its time comes.

Wagtail keeps the schedule (a revision approved to go live at
``approved_go_live_at``, a live item's ``expire_at``) but acts on it only when
something runs its scheduler. The worker beside the web servers
(``manage.py run_worker``) calls :func:`publish_scheduled` every
``SCHEDULED_PUBLISHING_INTERVAL`` seconds. It publishes and unpublishes through
Wagtail's own actions, as an editor would, so the same signals record the
change for the feed and the webhooks, renew the API's content version and
purge the CDN.

Several workers may run at once, and each must leave an item to the one that
got to it first. Every item is published or unpublished in a transaction of
its own, which starts by claiming it with an UPDATE whose conditions only hold
while the item is still due. On PostgreSQL the row is first locked with
``SKIP LOCKED``, so that a worker passes over an item another one is busy with
instead of waiting for it; on SQLite the UPDATE waits for the database's write
lock, and by then the item is no longer due. Either way a second worker finds
nothing to do, and an item is published once, with one change recorded.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)


def scheduled_models():
    """Pages, and every other model with draft state (cities, sectors): what can expire."""
    return [
        Page,
        *(
            model
            for model in apps.get_models()
            if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
        ),
    ]


def claim(due, **changes):
    """Take the one row of ``due`` for the current transaction; False if another worker has it or did it."""
    connection = transaction.get_connection(due.db)
    if connection.features.has_select_for_update_skip_locked and not list(
        due.select_for_update(skip_locked=True).values_list("pk", flat=True)
    ):
        return False
    return due.update(**changes) == 1


def expire(model, pk, now):
    """Unpublish one live item whose expiry date has passed; False if it was no longer due."""
    with transaction.atomic(using=model.objects.db):
        if not claim(model.objects.filter(pk=pk, live=True, expire_at__lt=now), expired=True):
            return False
        item = model.objects.get(pk=pk)
        item.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
    return True


def publish_revision(pk, now):
    """Publish one revision approved to go live before ``now``; False if it was no longer due."""
    with transaction.atomic(using=Revision.objects.db):
        if not claim(Revision.objects.filter(pk=pk, approved_go_live_at__lt=now), approved_go_live_at=None):
            return False
        revision = Revision.objects.get(pk=pk)
        # Its go-live date has passed, so publishing it makes the item live now.
        revision.publish(log_action="wagtail.publish.scheduled")
    return True


def _attempt(what, action, *args):
    """One item: a failure is logged and left for the next tick, and the others go on."""
    try:
        return action(*args)
    except Exception:
        logger.exception("Could not %s on schedule; trying again at the next tick.", what)
        return False


def publish_scheduled(now=None):
    """Expire what is due, then publish what is due, as Wagtail's ``publish_scheduled`` does; once each.

    Returns how many items were unpublished and how many published.
    """
    now = now or timezone.now()
    unpublished = 0
    for model in scheduled_models():
        due = model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")
        for pk in list(due.values_list("pk", flat=True)):
            what = f"unpublish {model._meta.label} {pk}"
            unpublished += _attempt(what, expire, model, pk, now)
    published = 0
    due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at")
    for pk in list(due.values_list("pk", flat=True)):
        published += _attempt(f"publish revision {pk}", publish_revision, pk, now)
    if unpublished or published:
        logger.info("On schedule: %d unpublished, %d published.", unpublished, published)
    return unpublished, published
