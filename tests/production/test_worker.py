"""The worker as `make worker` runs it: two of them publish and expire on schedule, each item once."""

import datetime
import json
import sqlite3
import threading

import pytest

from tests.production.test_cdn_purge import PurgeReceiver
from tests.webhooks.conftest import receiver

from .servers import Worker, manage, production_env, wait_until

SCHEDULE_INTERVAL = 1
# How late a publication may be: the interval, the tick itself and a loaded machine.
BOUND = SCHEDULE_INTERVAL + 9
# The chapters are scheduled this many seconds after the script that writes them starts.
LEAD = 10
SCHEDULED = 3
API = "https://api.example.org/api/v1"

# Run in `manage.py shell` on the worker's database: a book whose chapters go live in LEAD
# seconds, one live chapter that expires then, and a webhook subscriber.
CONTENT = """
import json
from datetime import timedelta
from django.utils import timezone
from api.webhooks.models import Subscriber
from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory

Subscriber.objects.create(name="Reader", url={hook!r})
part = PartPageFactory(parent=BookPageFactory())
moment = timezone.now() + timedelta(seconds={lead})
scheduled = []
for _ in range({count}):
    chapter = ChapterPageFactory(parent=part, live=False)
    chapter.go_live_at = moment
    chapter.save_revision().publish()
    scheduled.append(str(chapter.translation_key))
expiring = ChapterPageFactory(parent=part, expire_at=moment)
expiring.save_revision().publish()
print(json.dumps({{"moment": moment.isoformat(), "scheduled": scheduled, "expiring": str(expiring.translation_key)}}))
"""


@pytest.fixture
def purge_receiver():
    server = PurgeReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def read(database, sql, *params):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(sql, params).fetchall()


def moment(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def pages(database, keys, column):
    marks = ",".join("?" * len(keys))
    rows = read(
        database,
        f"SELECT translation_key, {column} FROM wagtailcore_page WHERE translation_key IN ({marks})",
        *(key.replace("-", "") for key in keys),
    )
    return dict(rows)


def changes(database, event):
    return sorted(
        key for (key,) in read(database, "SELECT key FROM webhooks_changeevent WHERE event = ?", event)
    )


def test_two_workers_publish_and_expire_on_time_and_once(tmp_path, purge_receiver):
    database = tmp_path / "db.sqlite3"
    with receiver() as site:
        env = production_env(
            DATABASE_URL=f"sqlite:///{database}",
            API_PUBLIC_BASE_URL="https://api.example.org",
            FRONTEND_CACHE_PURGE_URL=purge_receiver.location,
            # The subscriber is a receiver on loopback.
            WEBHOOKS_ALLOW_PRIVATE_ADDRESSES="true",
        )
        manage("migrate", "--noinput", env=env)
        with (
            Worker(env, tmp_path, "worker-1", SCHEDULE_INTERVAL) as first,
            Worker(env, tmp_path, "worker-2", SCHEDULE_INTERVAL) as second,
        ):
            created = manage(
                "shell", "-c", CONTENT.format(hook=site.url, lead=LEAD, count=SCHEDULED), env=env, check=False
            )
            assert created.returncode == 0, created.stderr
            content = json.loads(created.stdout.strip().splitlines()[-1])
            go_live = moment(content["moment"])
            scheduled = content["scheduled"]
            keys = [key.replace("-", "") for key in scheduled]
            assert datetime.datetime.now(datetime.UTC) < go_live, "the content took too long to write"
            assert set(pages(database, scheduled, "live").values()) == {0}

            expiring = content["expiring"].replace("-", "")

            def done():
                live = pages(database, [*scheduled, content["expiring"]], "live")
                return all(live[key] for key in keys) and not live[expiring]

            try:
                wait_until(done, "the schedule", attempts=600)
            except RuntimeError:
                pytest.fail(f"Not done on schedule:\n{first.output()}\n{second.output()}")
            published_at = pages(database, scheduled, "last_published_at")
            assert sorted(published_at) == sorted(keys), (first.output(), second.output())
            for key, when in published_at.items():
                late = (moment(when) - go_live).total_seconds()
                assert 0 <= late <= BOUND, (key, late)

            # Each change once, though both workers looked at the schedule.
            assert changes(database, "published") == sorted([*keys, expiring])
            assert changes(database, "unpublished") == [expiring]
            wait_until(lambda: len(site.received) == SCHEDULED + 2, "the webhook deliveries", attempts=300)

        assert (first.returncode, second.returncode) == (0, 0), (first.output(), second.output())

    events = sorted(
        (json.loads(request.body)["event"], json.loads(request.body)["key"]) for request in site.received
    )
    assert events == sorted(
        [("published", key) for key in [*scheduled, content["expiring"]]]
        + [("unpublished", content["expiring"])]
    )
    # The list they joined and left is purged; their own addresses were never read here, so no
    # document of theirs was stored and no CDN keeps one (a 404 is sent with no-store).
    assert f"{API}/chapters/?locale=fr" in purge_receiver.purged
