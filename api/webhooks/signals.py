"""Record every change the public can see, in the transaction that makes it.

The event is written with the change itself, not once it is committed: the
API's response cache moves to a new content version when the transaction
commits (``api.signals``), so a change feed read after that always holds the
event. The deliveries to subscribers are written with it, and so are their
tasks (see :func:`api.webhooks.tasks.queue`): all of it commits or none of it.

A subscriber that asked for batches gets one delivery per transaction: the
first change of the transaction creates it with its task, the next ones join
it, and the worker, which sees it only once the transaction has committed,
sends them all in one POST.

Events are numbered in the order their transactions commit, so that a reader
of the feed who has seen a change has seen every change numbered before it
(the feed's cursor relies on it): on PostgreSQL a transaction takes a lock of
its own before it numbers an event and keeps it until it ends; SQLite lets
one transaction write at a time anyway.
"""

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail import signals as wagtail_signals
from wagtail.models import Page, PageViewRestriction

from api.kinds import public_url
from book import kinds, selectors

from .models import ChangeEvent, Delivery, Event, ItemType, Subscriber

# Every kind of item, by model; a part's address is the list of its chapters. The
# index pages of contributors and themes have no address in the API: not recorded.
ITEM_TYPES = {kind.model: ItemType(kind.name) for kind in kinds.KINDS}


# The PostgreSQL advisory lock that keeps the numbering of events in commit order.
NUMBERING_LOCK = 0x626F6F6B

# Marks a page whose unpublication is the first step of its deletion.
DELETING = "_webhooks_deleting"


def api_url(item_type, key, language_code):
    """The item's address in the public API; a part's is the list of its chapters, as the API gives it."""
    path, query = kinds.get(item_type).api_path(key)
    return public_url(path, locale=language_code, **query)


def _is_private(page):
    return Page.objects.filter(pk=page.pk).filter(Page.objects.private_q()).exists()


def _is_public(page):
    return selectors.public(Page.objects.filter(pk=page.pk)).exists()


class _Batches:
    """The batched deliveries of the current transaction, by subscriber.

    It is valid while its own on-commit callback is still registered: Django
    drops that callback when the transaction (or the savepoint it was
    registered in, with the deliveries written there) rolls back, and runs it
    on commit, which forgets the batches.
    """

    attribute = "_webhooks_batches"

    def __init__(self):
        self.deliveries = {}

    def __call__(self):
        if getattr(connection, self.attribute, None) is self:
            delattr(connection, self.attribute)

    @classmethod
    def current(cls):
        batches = getattr(connection, cls.attribute, None)
        if batches is not None and any(func is batches for _sids, func, _robust in connection.run_on_commit):
            return batches
        batches = cls()
        setattr(connection, cls.attribute, batches)
        transaction.on_commit(batches, using=DEFAULT_DB_ALIAS)
        return batches


def _deliver(change, subscribers):
    """The deliveries of ``change``: a new one per plain subscriber, and the transaction's batch of the others."""
    from .tasks import queue

    plain = [subscriber for subscriber in subscribers if not subscriber.batch]
    batched = [subscriber for subscriber in subscribers if subscriber.batch]
    new = [
        Delivery(subscriber=subscriber, event=change, next_attempt_at=change.timestamp)
        for subscriber in plain
    ]
    joined = []
    if batched:
        batches = _Batches.current()
        for subscriber in batched:
            delivery_id = batches.deliveries.get(subscriber.pk)
            if delivery_id is None:
                new.append(
                    Delivery(
                        subscriber=subscriber, event=change, batched=True, next_attempt_at=change.timestamp
                    )
                )
            else:
                joined.append(delivery_id)
    deliveries = Delivery.objects.bulk_create(new)
    for delivery in deliveries:
        if delivery.batched:
            batches.deliveries[delivery.subscriber_id] = delivery.pk
            joined.append(delivery.pk)
    if joined:
        Delivery.changes.through.objects.bulk_create(
            Delivery.changes.through(delivery_id=delivery_id, changeevent_id=change.pk)
            for delivery_id in joined
        )
    if deliveries:
        queue([delivery.pk for delivery in deliveries])


def record(event, instance):
    """Write the change event, its deliveries and their tasks, together."""
    item_type = ITEM_TYPES.get(type(instance))
    if item_type is None:
        return None
    language_code = instance.locale.language_code
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBERING_LOCK])
        change = ChangeEvent.objects.create(
            event=event,
            key=instance.translation_key,
            locale=language_code,
            type=item_type,
            url=api_url(item_type, instance.translation_key, language_code),
        )
        subscribers = [
            subscriber for subscriber in Subscriber.objects.filter(active=True) if subscriber.wants(event)
        ]
        if subscribers:
            _deliver(change, subscribers)
    return change


def page_published(sender, instance, **kwargs):
    if type(instance) in ITEM_TYPES and _is_public(instance):
        record(Event.PUBLISHED, instance)


def page_unpublished(sender, instance, **kwargs):
    if getattr(instance, DELETING, False):
        return
    if type(instance) in ITEM_TYPES and not _is_private(instance):
        record(Event.UNPUBLISHED, instance)


def snippet_published(sender, instance, **kwargs):
    # Pages send this too, after page_published: they are recorded there. Wagtail
    # sends it as well for a revision scheduled to go live later, while the item
    # stays a draft: that is recorded when the worker publishes it.
    if not isinstance(instance, Page) and instance.live:
        record(Event.PUBLISHED, instance)


def snippet_unpublished(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        record(Event.UNPUBLISHED, instance)


def deleted(sender, instance, **kwargs):
    """An item that readers may have seen is going: before the deletion, while its section still exists."""
    if type(instance) is Page:
        if instance.live:
            # Wagtail unpublishes a live page that is being deleted, from a receiver
            # of this same signal connected after this one, and sends page_unpublished
            # with the specific page: that is part of the deletion, recorded as such.
            setattr(instance.specific, DELETING, True)
        return
    if type(instance) not in ITEM_TYPES:
        return
    if not (instance.live or instance.first_published_at):
        return
    if isinstance(instance, Page) and _is_private(instance):
        return
    record(Event.DELETED, instance)


def visibility_changed(sender, instance, created=True, **kwargs):
    """A section made private unpublishes, for the public, each item it hides; made public again, publishes them."""
    if not created:
        # Another kind of restriction (password, groups...): private all the same.
        return
    origin = kwargs.get("origin")
    if kwargs["signal"] is post_delete and getattr(origin, "model", type(origin)) is not PageViewRestriction:
        # Gone with its section, which is being deleted: recorded as a deletion, if at all.
        return
    event = Event.PUBLISHED if kwargs["signal"] is post_delete else Event.UNPUBLISHED
    for page in selectors.turned_by(instance):
        if type(page) in ITEM_TYPES:
            record(event, page)


def connect():
    wagtail_signals.page_published.connect(page_published, dispatch_uid="webhooks-page-published")
    wagtail_signals.page_unpublished.connect(page_unpublished, dispatch_uid="webhooks-page-unpublished")
    wagtail_signals.published.connect(snippet_published, dispatch_uid="webhooks-published")
    wagtail_signals.unpublished.connect(snippet_unpublished, dispatch_uid="webhooks-unpublished")
    pre_delete.connect(deleted, dispatch_uid="webhooks-deleted")
    post_save.connect(visibility_changed, sender=PageViewRestriction, dispatch_uid="webhooks-made-private")
    post_delete.connect(visibility_changed, sender=PageViewRestriction, dispatch_uid="webhooks-made-public")
