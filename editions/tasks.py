"""Rebuilding a language's editions in the background, once per burst of changes.

A change marks the editions of its language outdated and, unless a rebuild of
that language already waits in the queue, queues one to run
``EDITIONS_REBUILD_DELAY`` seconds later on the database task backend that
``manage.py run_worker`` runs. Changes made meanwhile join that rebuild, which
reads the book as it is when it runs: ten approvals in a minute give one build
of the latest published state.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend
from wagtail.models import Locale

from book.models import Edition

from . import builds

logger = logging.getLogger(__name__)


def _enqueue(task_function, *args, run_after=None):
    """Queue with the transaction on the database backend, after it commits on any other."""

    def enqueue():
        prepared = task_function.using(run_after=run_after) if run_after is not None else task_function
        prepared.enqueue(*args)

    if isinstance(task_function.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)


def mark_outdated(locale_id, change, subject=""):
    """Mark every edition of the language's published books outdated by ``change`` and queue their rebuild.

    An edition keeps the first change since it was last current; a build in
    progress keeps running, and the queued rebuild follows it.
    """
    locale = Locale.objects.filter(pk=locale_id).first()
    if locale is None:
        return
    now = timezone.now()
    with transaction.atomic():
        editions = builds.editions_of(builds.public_books(locale=locale))
        ids = [edition.pk for edition in editions] + list(
            Edition.objects.filter(locale_id=locale_id).values_list("pk", flat=True)
        )
        for edition in Edition.objects.select_for_update().filter(pk__in=set(ids)):
            if edition.state == Edition.State.CURRENT or edition.outdated_since is None:
                edition.outdated_since = now
                edition.outdated_change = change
                edition.outdated_subject = str(subject)[:255]
            if edition.state not in {Edition.State.BUILDING, Edition.State.QUEUED}:
                edition.state = Edition.State.OUTDATED
            edition.save(update_fields=["state", "outdated_since", "outdated_change", "outdated_subject"])
        queue_rebuild(locale_id)


def queue_rebuild(locale_id, delay=None):
    """Queue one rebuild of the language unless one is waiting already; True when this call queued it."""
    delay = settings.EDITIONS_REBUILD_DELAY if delay is None else delay
    now = timezone.now()
    # A rebuild that should have run long ago was lost (its task deleted): queue another.
    lost_before = now - timedelta(seconds=settings.EDITIONS_REBUILD_DELAY) - builds.stale_after()
    with transaction.atomic():
        rows = list(
            Edition.objects.select_for_update()
            .filter(locale_id=locale_id)
            .values_list("rebuild_after", flat=True)
        )
        if not rows or any(due is not None and due > lost_before for due in rows):
            return False
        run_after = now + timedelta(seconds=delay)
        Edition.objects.filter(locale_id=locale_id).update(rebuild_after=run_after)
        _enqueue(rebuild_language, locale_id, run_after=run_after if delay else None)
    return True


def rebuild_outdated(locale_id):
    """Build every edition of the language that is not current; the editions built."""
    with transaction.atomic():
        waiting = list(
            Edition.objects.select_for_update().filter(locale_id=locale_id).values_list("pk", flat=True)
        )
        Edition.objects.filter(pk__in=waiting).update(rebuild_after=None)
    built = []
    for edition in Edition.objects.filter(locale_id=locale_id).exclude(state=Edition.State.CURRENT):
        try:
            built.append(builds.build(edition))
        except builds.BuildInProgress:
            # The build under way may have read the book before the change: build again after it.
            queue_rebuild(locale_id)
        except builds.BuildFailed:
            # Recorded on the edition; the other formats are still built.
            continue
    return built


@task(backend=settings.EDITIONS_TASK_BACKEND)
def rebuild_language(locale_id):
    rebuild_outdated(locale_id)


@task(backend=settings.EDITIONS_TASK_BACKEND)
def build_edition(edition_id):
    """Build one edition now (the admin's "Build now")."""
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return
    try:
        builds.build(edition)
    except builds.BuildInProgress:
        logger.info("Edition %s is being built already.", edition_id)
    except builds.BuildFailed:
        pass


def request_build(edition):
    """Queue a build of ``edition`` for the worker; until the worker starts it, the edition shows as queued."""
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).exclude(state=Edition.State.BUILDING).update(
            state=Edition.State.QUEUED
        )
        _enqueue(build_edition, edition.pk)
