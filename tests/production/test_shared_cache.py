"""Several app servers share one cache: what one process unpublishes, none of them serves again.

gunicorn runs the production settings with two workers, each with its own
memory; the chapter is unpublished by a command in a third process, as an
editor's `manage.py` or another app server would.
"""

import shutil

import pytest

from .servers import Gunicorn, RedisServer, manage, production_env

CHAPTER = "/api/v1/chapters/tenir/"
READS = 20

PUBLISH = """
from tests.factories import BookPageFactory, ChapterPageFactory, PartPageFactory
book = BookPageFactory(title="IA et création", slug="ia-et-creation")
part = PartPageFactory(parent=book, title="Pratiques", slug="pratiques")
ChapterPageFactory(parent=part, title="Tenir", slug="tenir", body=[("paragraph", "<p>Tenir.</p>")])
"""
UNPUBLISH = """
from book.models import ChapterPage
ChapterPage.objects.get(slug="tenir").unpublish()
"""


@pytest.fixture
def redis_url():
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def published_database(tmp_path_factory):
    """A database file with one published chapter, copied by each test."""
    path = tmp_path_factory.mktemp("published") / "db.sqlite3"
    env = production_env(DATABASE_URL=f"sqlite:///{path}")
    manage("migrate", "--noinput", env=env)
    manage("shell", "--command", PUBLISH, env=env)
    return path


@pytest.fixture(params=["cache directory", "redis"])
def deployment(request, tmp_path, published_database):
    """The production settings on a copy of the database, with a shared cache of each kind."""
    shutil.copy(published_database, tmp_path / "db.sqlite3")
    cache = {"DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    if request.param == "redis":
        cache = {"REDIS_URL": request.getfixturevalue("redis_url"), "DJANGO_CACHE_DIR": None}
    return production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", API_THROTTLE_RATE="", **cache)


def test_a_chapter_unpublished_by_another_process_is_gone_from_every_worker(deployment, tmp_path):
    with Gunicorn(deployment, tmp_path, workers=2) as server:
        # Enough reads for both workers to hold the chapter in their caches.
        assert [server.get(CHAPTER)[0] for _read in range(READS)] == [200] * READS
        manage("shell", "--command", UNPUBLISH, env=deployment)
        assert [server.get(CHAPTER)[0] for _read in range(READS)] == [404] * READS
