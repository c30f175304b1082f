"""The environment switches media to S3, with URLs that stay valid as long as the API caches them."""

import json
import os
import subprocess
import sys

from django.conf import settings
from storages.backends.s3 import S3Storage

from . import s3


def media_settings(**environment):
    """STORAGES["default"] and the document serve method that the settings build from ``environment``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(environment)
    code = (
        "import json; from cms.settings import base; "
        "print(json.dumps([base.STORAGES['default'], getattr(base, 'WAGTAILDOCS_SERVE_METHOD', None)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_a_bucket_media_are_local_files():
    storage, serve_method = media_settings()
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert serve_method is None


def test_a_bucket_puts_media_on_s3_with_public_urls_that_never_expire():
    storage, serve_method = media_settings(
        AWS_STORAGE_BUCKET_NAME="book-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_DEFAULT_REGION="eu-west-3",
    )
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "book-media",
            "endpoint_url": "http://127.0.0.1:9000",
            "region_name": "eu-west-3",
            "custom_domain": None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
    # Documents go through the app, which checks collection privacy.
    assert serve_method == "serve_view"
    url = S3Storage(**storage["OPTIONS"]).url("images/salle.width-800.png")
    assert url == "http://127.0.0.1:9000/book-media/images/salle.width-800.png"


def test_the_tests_bucket_is_configured_as_the_settings_configure_it():
    storage, _serve_method = media_settings(AWS_STORAGE_BUCKET_NAME="b", AWS_S3_ENDPOINT_URL="http://e")
    tests = s3.storage_settings("http://e", "b")["OPTIONS"]
    for name, value in storage["OPTIONS"].items():
        if name not in {"region_name", "custom_domain"}:
            assert tests[name] == value, name


def test_a_cdn_domain_serves_the_media_and_a_region_of_s3_itself_applies():
    storage, _serve_method = media_settings(
        AWS_STORAGE_BUCKET_NAME="book-media",
        AWS_S3_REGION_NAME="eu-west-3",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    options = storage["OPTIONS"]
    assert options["region_name"] == "eu-west-3" and options["endpoint_url"] is None
    url = S3Storage(**options).url("original_images/salle.png")
    assert url == "https://media.example.org/original_images/salle.png"


def test_signed_urls_only_when_asked_for():
    storage, _serve_method = media_settings(AWS_STORAGE_BUCKET_NAME="book-media", AWS_QUERYSTRING_AUTH="true")
    assert storage["OPTIONS"]["querystring_auth"] is True
