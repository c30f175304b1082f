"""Several app servers share one cache: what one process unpublishes, none of them serves again.

gunicorn runs the production settings with two workers, each with its own
memory; the chapter is unpublished by a command in a third process, as an
editor's `manage.py` or another app server would.
"""

import itertools
import shutil

import pytest

from cms.cache import SharedFileCache

from .servers import Gunicorn, RedisServer, manage, production_env
from .test_settings import production_python

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


def test_without_redis_the_file_cache_holds_a_whole_book_in_six_languages():
    """2,000 chapters in 6 languages, each detail read by key and by slug, fit before a third is culled."""
    result = production_python(
        "from django.core.cache import caches\n"
        "cache = caches['default']\n"
        "print(type(cache).__module__, type(cache).__name__, cache._max_entries, cache.cull_every)"
    )
    module, name, max_entries, cull_every = result.stdout.split()
    assert f"{module}.{name}" == "cms.cache.SharedFileCache"
    assert int(max_entries) >= 2 * 2000 * 6
    assert int(cull_every) == int(max_entries) // 100


def test_the_file_cache_counts_its_files_every_hundredth_of_its_size_and_stays_near_it(tmp_path, monkeypatch):
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1000}})
    monkeypatch.setattr(SharedFileCache, "_writes", itertools.count(1))
    counted = []
    listed = SharedFileCache._list_cache_files

    def counting(self):
        files = listed(self)
        counted.append(len(files))
        return files

    monkeypatch.setattr(SharedFileCache, "_list_cache_files", counting)
    for number in range(2500):
        cache.set(f"entry-{number}", number)
    # Django's file cache lists its directory before each of the 2,500 writes.
    assert len(counted) == 250
    assert max(counted) < 1000 + 10
    assert len(listed(cache)) < 1000 + 10
    assert cache.get("entry-2499") == 2499
