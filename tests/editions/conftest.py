import dataclasses

import pytest

from editions.formats import FORMATS
from tests.api.conftest import book, english  # noqa: F401  (fixtures)
from tests.storage.conftest import s3_endpoint, s3_media  # noqa: F401  (fixtures)

from . import builders


def use_builder(monkeypatch, format_name, builder):
    """Point a format of the registry at another builder for this test."""
    monkeypatch.setitem(
        FORMATS,
        format_name,
        dataclasses.replace(FORMATS[format_name], builder=f"{builders.__name__}.{builder}"),
    )


@pytest.fixture(autouse=True)
def small_builders(monkeypatch):
    builders.CALLS.clear()
    use_builder(monkeypatch, "epub", "small_epub")
    use_builder(monkeypatch, "pdf", "small_pdf")
    return builders.CALLS
