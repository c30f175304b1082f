import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached API responses outlive a rolled-back database."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session", autouse=True)
def media_bucket():
    """The S3 bucket of the environment's media (created if missing), or None for local files."""
    from django.conf import settings

    from tests.storage import s3

    configured = s3.configured_media_bucket(settings)
    if configured is None:
        return None
    bucket, endpoint = configured
    client = s3.client(endpoint)
    if not s3.bucket_exists(client, bucket):
        s3.create_media_bucket(client, bucket)
    return client, bucket


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path, media_bucket):
    """Every test writes its media to a temporary directory of its own, or on S3 under a prefix of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if media_bucket is None:
        yield settings.MEDIA_ROOT
        return
    from uuid import uuid4

    from tests.storage import s3

    location = f"tests/{uuid4().hex}"
    settings.STORAGES = s3.with_location(settings.STORAGES, location)
    yield location
    client, bucket = media_bucket
    s3.empty(client, bucket, f"{location}/")


@pytest.fixture
def demo_book(db):
    """The French demo edition, loaded as `make run` loads it."""
    from io import StringIO

    from django.core.management import call_command

    from book.models import BookPage

    call_command("load_demo_book", stdout=StringIO())
    return BookPage.objects.get(locale__language_code="fr")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The reader's tests run first, on the database as its migrations left it.

    They serve the demo book from a live server of their own and put the
    database back as they found it; pytest-django orders tests without its
    database fixtures last, after the transactional tests that empty the
    database (root page and collection included).
    """
    reader = [item for item in items if item.nodeid.startswith("tests/reader/")]
    if reader:
        others = [item for item in items if not item.nodeid.startswith("tests/reader/")]
        items[:] = reader + others
