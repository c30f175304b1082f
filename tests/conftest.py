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
    from book.models import BookPage

    from .demo_snapshot import load_demo

    load_demo()
    return BookPage.objects.get(locale__language_code="fr")


@pytest.fixture(scope="session")
def browser():
    """Chromium, one for the whole run: the admin's browser tests and the reader's share it."""
    from tests.e2e.conftest import BROWSER_ARGS, BROWSER_CANDIDATES, browser_executable

    executable = browser_executable()
    if executable is None:
        pytest.skip(
            "No Chromium found: install the system package (apt-get install chromium) "
            f"or set BROWSER_EXECUTABLE; looked for {', '.join(BROWSER_CANDIDATES)} on PATH."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread, so
    # Django sees a running loop and refuses ORM calls from the test body
    # (SynchronousOnlyOperation). The test's own ORM calls are ordinary blocking
    # calls made between browser steps, never from inside a coroutine, so the guard
    # is lifted for this test process while the browser runs, and put back after.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
            yield chromium
            chromium.close()
