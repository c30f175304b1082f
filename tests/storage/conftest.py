"""An S3-compatible server for the whole run, and a fresh bucket for each test that asks for one."""

import os
from types import SimpleNamespace

import pytest

from . import s3


@pytest.fixture(scope="session")
def s3_endpoint():
    """The environment's S3 endpoint, or moto's server started for this run."""
    if os.environ.get("AWS_S3_ENDPOINT_URL"):
        yield os.environ["AWS_S3_ENDPOINT_URL"]
        return
    server = s3.MotoServer().start()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_media(settings, s3_endpoint):
    """Media in a bucket of this test's own, configured as production configures S3.

    Wagtail's image, rendition and document file fields hold Django's lazy
    ``default_storage`` (renditions through ``get_rendition_storage``), which the
    ``setting_changed`` signal for STORAGES resets: overriding the setting is enough.
    """
    client = s3.client(s3_endpoint)
    bucket = s3.unique_bucket_name()
    s3.create_media_bucket(client, bucket)
    settings.STORAGES = {**settings.STORAGES, "default": s3.storage_settings(s3_endpoint, bucket)}
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    yield SimpleNamespace(
        client=client,
        bucket=bucket,
        endpoint=s3_endpoint,
        keys=lambda prefix="": s3.keys(client, bucket, prefix),
    )
    s3.empty(client, bucket)
    client.delete_bucket(Bucket=bucket)
