"""``manage.py backup`` and ``manage.py restore``: a restored site is the same site, and bad archives change nothing."""

import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from cms.backup import FORMAT_VERSION, VENDOR_NAMES

from .site_snapshot import media_snapshot, snapshot

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def english():
    """The commands' messages in English, whatever the French catalog says."""
    with translation.override("en"):
        yield


def read_manifest(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


@contextmanager
def fresh_database(tmp_path):
    """The URL of a new, empty database beside the test database, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored_{secrets.token_hex(3)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        yield f"postgres://{quote(settings['USER'], safe='')}{password}@{settings['HOST']}{port}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_media(tmp_path, media_bucket):
    """The environment giving a second site media of its own: a folder, or a new prefix of the bucket."""
    env = {"RESTORED_MEDIA_ROOT": str(tmp_path / "restored-media")}
    if media_bucket is None:
        yield env
        return
    from tests.storage import s3

    location = f"tests/{uuid4().hex}"
    try:
        yield {**env, "RESTORED_MEDIA_LOCATION": location}
    finally:
        client, bucket = media_bucket
        s3.empty(client, bucket, f"{location}/")


def run_restored_site(*args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# Serialized rollback: its flush at the end then leaves the content types and
# permissions the next transactional tests reload, rather than making new ones.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_site_restored_into_a_fresh_database_serves_the_same_api_and_media(tmp_path, media_bucket):
    call_command("load_demo_book", stdout=StringIO())
    call_command("load_demo_translations", stdout=StringIO())
    before = snapshot()
    assert before["media"], "the demo book stores its images"
    assert "{media}/" in json.dumps(before["api"]), "the API shows the images"
    assert any(url.endswith("?locale=en") for url in before["api"]), "the demo has an English edition"

    call_command("backup", str(tmp_path), stdout=StringIO())
    [archive] = tmp_path.glob("backup-*.tar.gz")
    manifest = read_manifest(archive)
    assert manifest["format"] == FORMAT_VERSION
    assert manifest["database"] == connection.vendor
    assert manifest["files"] == len(before["media"])
    assert manifest["created_at"]

    out = tmp_path / "restored.json"
    with fresh_database(tmp_path) as url, fresh_media(tmp_path, media_bucket) as media_env:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("PYTEST_", "REDIS_", "DATABASE_", "DJANGO_", "RESTORED_"))
        }
        env.update(media_env, DJANGO_SETTINGS_MODULE="tests.ops.restore_settings", DATABASE_URL=url)
        restored = run_restored_site("manage.py", "restore", str(archive), env=env)
        assert str(manifest["files"]) in restored.stdout
        run_restored_site("-m", "tests.ops.site_snapshot", str(out), env=env)
    after = json.loads(out.read_text())

    assert after["media"] == before["media"]
    assert after["api"].keys() == before["api"].keys()
    for url, answer in before["api"].items():
        assert after["api"][url] == answer, url


@pytest.fixture
def changed_since_backup(django_db_serialized_rollback, transactional_db, tmp_path):
    """An archive of the site, then changes made after it: rows and media files."""
    users = get_user_model().objects
    users.create_user("before-backup")
    default_storage.save("notes/kept.txt", ContentFile(b"as backed up"))
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())

    users.create_user("after-backup")
    default_storage.delete("notes/kept.txt")
    default_storage.save("notes/kept.txt", ContentFile(b"changed since"))
    default_storage.save("notes/new.txt", ContentFile(b"new since"))
    return archive


def site_state():
    return sorted(get_user_model().objects.values_list("username", flat=True)), media_snapshot()


def rewritten(archive, path, change):
    """A copy of ``archive`` at ``path`` whose manifest went through ``change``."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(path, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps(change(json.loads(data))).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return path


def not_an_archive(archive, tmp_path):
    path = tmp_path / "notes.tar.gz"
    path.write_text("Not an archive at all.\n")
    return path


def truncated(archive, tmp_path):
    path = tmp_path / "truncated.tar.gz"
    data = archive.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def other_vendor(archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    return rewritten(archive, tmp_path / "other.tar.gz", lambda manifest: {**manifest, "database": other})


def newer_format(archive, tmp_path):
    return rewritten(archive, tmp_path / "newer.tar.gz", lambda manifest: {**manifest, "format": 99})


def escaping_member(archive, tmp_path):
    path = tmp_path / "escaping.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    return path


def missing(archive, tmp_path):
    return tmp_path / "nowhere.tar.gz"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (not_an_archive, "is not a backup archive"),
        (truncated, "damaged or truncated"),
        (other_vendor, "database and this site uses"),
        (newer_format, "is a backup of format 99"),
        (escaping_member, "is not a backup made by this site"),
        (missing, "No such file"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_bad_archive_is_refused_and_changes_nothing(changed_since_backup, tmp_path, make, message):
    state = site_state()
    bad = make(changed_since_backup, tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--force", stdout=StringIO())
    assert site_state() == state
    assert not (tmp_path.parent / "outside.txt").exists()


def test_an_archive_from_another_database_names_both(changed_since_backup, tmp_path):
    bad = other_vendor(changed_since_backup, tmp_path)
    theirs = VENDOR_NAMES["postgresql" if connection.vendor == "sqlite" else "sqlite"]
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(bad), stdout=StringIO())
    assert f"holds a {theirs} database and this site uses {VENDOR_NAMES[connection.vendor]}" in str(
        raised.value
    )


def test_a_database_with_content_is_kept_unless_forced(changed_since_backup):
    state = site_state()
    with pytest.raises(
        CommandError, match="is not empty: restore into a new, empty database, or run again with --force"
    ):
        call_command("restore", str(changed_since_backup), stdout=StringIO())
    assert site_state() == state

    call_command("restore", str(changed_since_backup), "--force", stdout=StringIO())
    users, media = site_state()
    assert users == ["before-backup"]
    with default_storage.open("notes/kept.txt", "rb") as handle:
        assert handle.read() == b"as backed up"
    # Files stored since the backup are left alone; only the archive's are written back.
    assert "notes/new.txt" in media
