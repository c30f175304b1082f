"""Counting the API's requests per site and day without writing to the database on each one.

Each request adds one to a counter in the shared cache: Redis ``INCRBY``
when ``REDIS_URL`` is set, the cache API's ``incr`` otherwise. A counter
names a day (UTC), a site (or ``anon``) and what the answer was: a full
answer (``requests``), a 304 (``not_modified``) or a refusal over the quota
(``throttled``). Counters only grow; they live a few days in the cache.

The worker (``manage.py run_worker``) calls :func:`flush` at each tick: it
reads the counters and adds to each day's :class:`~api.models.ApiUsage` row
what they gained since the row last saw them (``seen_*``), in the same
statement that records the new values seen, with the row locked. So reading a
counter twice, by one worker or by two at once, never adds anything twice,
and a worker stopped between reading and writing loses nothing.

Counter names carry the cache's *epoch*, a random token kept in the cache
itself: when the cache loses its data (Redis restarted without persistence,
the cache directory emptied), the epoch goes with the counters, a new one is
drawn, and the new counters are new to every row, which adds them whole.
What was counted after the last flush and before such a loss is lost: usage
is late or missing, never doubled.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.models import F
from django.utils import formats

logger = logging.getLogger(__name__)

KINDS = ("requests", "not_modified", "throttled")
ANONYMOUS = "anon"
# Counters are read for this many days back (today included) and live a day longer.
DAYS_READ = 3
COUNTER_TIMEOUT = (DAYS_READ + 1) * 86400


def today():
    return datetime.datetime.now(datetime.UTC).date()


EPOCH_KEY = "api:usage:epoch"


def counter_key(epoch, day, ident, kind):
    return f"api:usage:{epoch}:{day.isoformat()}:{ident}:{kind}"


def new_epoch(cache):
    """The epoch after the cache lost it (or on first use): the one every process settles on."""
    epoch = secrets.token_hex(8)
    return epoch if cache.add(EPOCH_KEY, epoch, timeout=None) else cache.get(EPOCH_KEY)


class Counters:
    """Integer counters in the shared cache: add to several at once, read several at once."""

    def __init__(self, cache):
        self.cache = cache

    def add(self, deltas):
        """Add ``deltas`` ({key: (n, timeout)}); the new values, in the same order."""
        if hasattr(self.cache, "run"):
            return self._add_on_redis(deltas)
        values = []
        for key, (delta, timeout) in deltas.items():
            self.cache.add(key, 0, timeout=timeout)
            try:
                values.append(self.cache.incr(key, delta))
            except ValueError:
                # Gone between the two calls (culled, or the cache is away): start again.
                self.cache.set(key, delta, timeout=timeout)
                values.append(delta)
        return values

    def _add_on_redis(self, deltas):
        def add(client):
            pipeline = client.pipeline(transaction=False)
            for key, (delta, timeout) in deltas.items():
                raw = self.cache.make_key(key)
                pipeline.incrby(raw, delta)
                pipeline.expire(raw, timeout)
            return pipeline.execute()[::2]

        return self.cache.run(add, miss=[0] * len(deltas))

    def get(self, key):
        return int(self.cache.get(key) or 0)

    def get_many(self, keys):
        found = self.cache.get_many(list(keys))
        return {key: int(found.get(key) or 0) for key in keys}


def counters():
    return Counters(caches[settings.API_CACHE_ALIAS])


def ident_of(site_id):
    return ANONYMOUS if site_id is None else str(site_id)


def kind_of(status_code):
    if status_code == 304:
        return "not_modified"
    if status_code == 429:
        return "throttled"
    return "requests"


def flush(now_day=None):
    """Add what the counters gained to the usage table; the number of rows changed."""
    from .models import ApiSite

    store = counters()
    epoch = store.cache.get(EPOCH_KEY)
    if epoch is None:
        return 0
    now_day = now_day or today()
    days = [now_day - datetime.timedelta(days=back) for back in range(DAYS_READ)]
    idents = [None, *ApiSite.objects.values_list("pk", flat=True)]
    keys = [
        counter_key(epoch, day, ident_of(site), kind) for day in days for site in idents for kind in KINDS
    ]
    values = store.get_many(keys)
    changed = 0
    for day in days:
        for site_id in idents:
            if any(values[counter_key(epoch, day, ident_of(site_id), kind)] for kind in KINDS):
                changed += _add(store, epoch, day, site_id)
    return changed


def _add(store, epoch, day, site_id):
    """Add one day's counters of one site to its row; whether anything was added."""
    from .models import ApiUsage

    using = ApiUsage.objects.db
    ApiUsage.objects.get_or_create(site_id=site_id, day=day)
    with transaction.atomic(using=using):
        rows = ApiUsage.objects.filter(site_id=site_id, day=day)
        if connections[using].features.has_select_for_update:
            row = rows.select_for_update().get()
        else:
            # SQLite: a write first takes the database's write lock, which other flushes wait for.
            rows.update(day=F("day"))
            row = rows.get()
        # Read under the lock: another flush that read the counters earlier has
        # either written already (its values are ``seen_*``) or waits for us.
        keys = {counter_key(epoch, day, ident_of(site_id), kind): kind for kind in KINDS}
        current = store.get_many(keys)
        if store.cache.get(EPOCH_KEY) != epoch:
            # The cache lost its data meanwhile: the next flush reads the new epoch.
            return False
        changes = {}
        for key, kind in keys.items():
            value, seen = current[key], getattr(row, f"seen_{kind}")
            if row.seen_epoch == epoch and value == seen:
                continue
            gained = value - seen if row.seen_epoch == epoch else value
            changes[kind] = F(kind) + max(0, gained)
            changes[f"seen_{kind}"] = value
        if changes:
            rows.update(seen_epoch=epoch, **changes)
        return bool(changes)


REPORT_DAYS = 90


class Report:
    """The usage of the last ``REPORT_DAYS`` days (UTC), of one site, of the anonymous clients, or of all."""

    ALL = object()

    def __init__(self, site=ALL, days=REPORT_DAYS, until=None):
        from .models import ApiUsage

        self.until = until or today()
        self.since = self.until - datetime.timedelta(days=days - 1)
        rows = ApiUsage.objects.filter(day__gte=self.since, day__lte=self.until)
        if site is not self.ALL:
            rows = rows.filter(site=site)
        self.rows = rows

    def days(self):
        """One entry per day, oldest first, with the day's totals and the bar's height in percent."""
        from django.db.models import Sum

        totals = {
            row["day"]: row
            for row in self.rows.values("day").annotate(
                requests=Sum("requests"), not_modified=Sum("not_modified"), throttled=Sum("throttled")
            )
        }
        days = []
        day = self.since
        while day <= self.until:
            found = totals.get(day, {})
            days.append(
                {
                    "day": day,
                    "requests": found.get("requests") or 0,
                    "not_modified": found.get("not_modified") or 0,
                    "throttled": found.get("throttled") or 0,
                }
            )
            day += datetime.timedelta(days=1)
        busiest = max((entry["requests"] + entry["not_modified"] for entry in days), default=0)
        for entry in days:
            entry["total"] = entry["requests"] + entry["not_modified"]
            # The bar in a chart 120 units high, with a little room above the busiest day.
            entry["bar"] = round(115 * entry["total"] / busiest, 1) if busiest else 0
            entry["y"] = round(120 - entry["bar"], 1)
        return days

    def chart(self, chart_id):
        """What the chart of requests per day shows, and the sentences that say it."""
        days = self.days()
        busiest = max(days, key=lambda entry: entry["total"])
        return {
            "chart_id": chart_id,
            "report": self,
            "days": days,
            "total": sum(entry["total"] for entry in days),
            "busiest_total": busiest["total"],
            "busiest_day": formats.date_format(busiest["day"], "DATE_FORMAT"),
        }

    def sites(self):
        """Each site's totals (the anonymous clients as ``site`` None), busiest first."""
        from django.db.models import Max, Sum

        from .models import ApiSite

        totals = list(
            self.rows.values("site")
            .annotate(
                requests=Sum("requests"),
                not_modified=Sum("not_modified"),
                throttled=Sum("throttled"),
                last_day=Max("day"),
            )
            .order_by("-requests", "site")
        )
        sites = ApiSite.objects.in_bulk([row["site"] for row in totals if row["site"]])
        for row in totals:
            row["site"] = sites.get(row["site"])
        return totals

    def csv_rows(self):
        """Day, site, city, requests, not modified, throttled: one row per site and day, oldest first."""
        for row in self.rows.select_related("site").order_by("day", "site__name"):
            site = row.site
            yield [
                row.day.isoformat(),
                site.name if site else "",
                site.city if site else "",
                row.requests,
                row.not_modified,
                row.throttled,
            ]
