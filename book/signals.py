"""Signals the rooms above the book send and receive without importing each other.

The project's cache backend (``cms.cache``) sends ``cache_available_again``;
the public API (``api.signals``) renews its content version on it. The worker
(``cms``'s ``run_worker``) sends ``worker_tick`` at each round of its schedule;
the public API records its usage counters on it (``api.usage``) and builds again
the stored documents still stale (``api.documents``). ``cms``'s restore sends
``database_restored`` once a backup is put back; the API drops the documents it
had stored, which were built against the old site's media and addresses. A data
migration of ``book`` that rewrites provenance records through historical models,
which send no signal, sends ``provenance_rewritten``; the API drops its documents.
"""

from django.dispatch import Signal

# Sent with ``cache`` (the backend) when Redis answers again after an outage
# this process saw, before the cache is used again. A receiver that raises, or
# whose own cache calls fail, leaves the outage on, to be retried.
cache_available_again = Signal()

# Sent by the worker at each round of its schedule, after the scheduled publications. Receivers
# do their periodic work there; one that raises is logged and tried again at the next round.
worker_tick = Signal()

# Sent with ``using`` (the database alias) once a backup's database and media files are put back,
# before the caches are emptied. Receivers drop what they derived from the old site.
database_restored = Signal()

# Sent with ``apps`` (the migration's models) and ``using`` (the database alias) by a data migration
# that rewrote provenance records in bulk. Receivers drop what they derived from the records, through
# the models of ``apps``.
provenance_rewritten = Signal()
