"""What an installation keeps to itself: private documents, local secrets, the embedded database, media."""

import importlib
import os
import stat
from io import StringIO

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.utils import ConnectionHandler
from django.urls import clear_url_caches
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.private_files import read_private, write_password
from cms.settings import dev


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def debug_urls(settings):
    """The URLs of the development server (DEBUG), which serves static and media files itself."""
    import cms.urls

    settings.DEBUG = True
    importlib.reload(cms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(cms.urls)
    clear_url_caches()


@pytest.fixture
def private_document(db):
    collection = Collection.get_first_root_node().add_child(name="Interne")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model()(title="Contrat", collection=collection)
    document.file.save("contrat.pdf", ContentFile(b"%PDF-1.4 confidentiel"), save=False)
    document.save()
    return document


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "images/../", "original_images/%2e%2e/", "./", "/"])
def test_a_private_document_is_not_served_under_media(client, debug_urls, private_document, prefix):
    response = client.get(f"/media/{prefix}{private_document.file.name}")
    assert response.status_code == 404
    assert b"confidentiel" not in response.content


@pytest.mark.django_db
def test_a_private_document_is_served_only_through_its_privacy_check(client, debug_urls, private_document):
    response = client.get(private_document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_images_are_still_served_under_media_in_development(client, debug_urls, media_storage):
    if not isinstance(media_storage, os.PathLike):
        pytest.skip("media are on S3: the development server serves none under /media/")
    image = wagtail_factories.ImageFactory()
    response = client.get(f"/media/{image.file.name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image.file.open("rb").read()


@pytest.mark.django_db
def test_uploaded_media_are_readable_by_their_owner_only(private_document, media_storage):
    if not isinstance(media_storage, os.PathLike):
        pytest.skip("media are on S3, where the bucket's policy decides")
    path = private_document.file.path
    assert mode(path) == 0o600
    assert mode(os.path.dirname(path)) == 0o700


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path, django_db_blocker):
    path = tmp_path / "db.sqlite3"
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}})
    connection = handler["default"]
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE chapter (title TEXT)")
        connection.close()
    assert mode(path) == 0o600


def test_the_local_secret_key_is_created_readable_by_its_owner_only(tmp_path):
    path = tmp_path / ".secret_key"
    old = os.umask(0o022)
    try:
        key = dev._local_secret_key(path)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert dev._local_secret_key(path) == key
    assert len(key) >= 50


def test_a_secret_left_readable_by_others_is_narrowed_when_read(tmp_path):
    path = tmp_path / ".secret_key"
    path.write_text("clé")
    path.chmod(0o644)
    assert read_private(path) == "clé"
    assert mode(path) == 0o600


def test_a_secret_is_never_readable_by_others_while_it_is_written(tmp_path, monkeypatch):
    path = tmp_path / ".admin_password"
    path.write_text("ancien")
    path.chmod(0o644)
    seen = []
    real_fdopen = os.fdopen

    def watching_fdopen(descriptor, *args, **kwargs):
        stream = real_fdopen(descriptor, *args, **kwargs)
        real_write = stream.write

        def write(text):
            seen.append(mode(path))
            return real_write(text)

        stream.write = write
        return stream

    monkeypatch.setattr(os, "fdopen", watching_fdopen)
    write_password(path, "nouveau")
    assert seen == [0o600]
    assert path.read_text() == "nouveau\n"


@pytest.mark.django_db
def test_ensure_admin_narrows_a_password_file_left_readable_by_others(tmp_path):
    password_file = tmp_path / ".admin_password"
    call_command("ensure_admin", "--password-file", str(password_file), stdout=StringIO())
    password_file.chmod(0o644)
    call_command("ensure_admin", "--password-file", str(password_file), stdout=StringIO())
    assert mode(password_file) == 0o600
