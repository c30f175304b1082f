import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached API responses outlive a rolled-back database."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Every test writes its media to a temporary directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_book(db):
    """The French demo edition, loaded as `make run` loads it."""
    from io import StringIO

    from django.core.management import call_command

    from book.models import BookPage

    call_command("load_demo_book", stdout=StringIO())
    return BookPage.objects.get(locale__language_code="fr")
