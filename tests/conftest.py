import pytest


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Every test writes its media to a temporary directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
