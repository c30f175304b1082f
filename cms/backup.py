"""Backups: the database and the media files in one ``.tar.gz`` archive, and back again.

An archive holds ``manifest.json`` (format version, database vendor, creation
time, number of media files), the database (``database.dump``, pg_dump's custom
format, on PostgreSQL; ``database.sqlite3``, a copy made with SQLite's backup API,
on SQLite) and every file of the default storage under ``media/``. Media are read
and written through Django's storage API only, so the same archive moves a site
between local files and S3.

A restore unpacks and checks the whole archive before it touches anything, so a
file that is not an archive, a truncated one or one from another kind of
database changes nothing.
"""

import gzip
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from book.signals import database_restored

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# libpq reads these from the environment; dj-database-url puts them in OPTIONS.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}
# Media files are copied through a temporary file that stays in memory up to this size.
SPOOL_BYTES = 8 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the person running it."""


def media_names(storage, directory=""):
    """Every file name of ``storage``, walking ``listdir`` (which S3 answers too)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        # A site that never stored a file has no media folder yet.
        if directory:
            raise
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for name in sorted(directories):
        yield from media_names(storage, posixpath.join(directory, name) if directory else name)


def _vendor(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("Backups support PostgreSQL and SQLite; this site's database is %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _libpq_env(settings_dict):
    """The environment telling pg_dump and pg_restore which database to use, as Django does."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option) not in (None, ""):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def _run_postgres_tool(command, connection):
    try:
        result = subprocess.run(
            command, env=_libpq_env(connection.settings_dict), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client tools of the server's version.")
            % {"tool": command[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(message)s") % {"tool": command[0], "message": result.stderr.strip()}
        )
    return result


def _dump_database(connection, target):
    if connection.vendor == "postgresql":
        _run_postgres_tool(["pg_dump", "--format=custom", f"--file={target}"], connection)
        return
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _add_bytes(archive, name, data, mtime):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = mtime
    archive.addfile(info, BytesIO(data))


def _add_media_file(archive, storage, name, mtime):
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        with storage.open(name, "rb") as source:
            shutil.copyfileobj(source, spool)
        info = tarfile.TarInfo(f"{MEDIA_DIR}/{name}")
        info.size = spool.tell()
        info.mtime = mtime
        spool.seek(0)
        archive.addfile(info, spool)


def create_backup(destination, *, using=DEFAULT_DB_ALIAS, storage=None):
    """Write the database and the media files to the archive ``destination``; return its manifest."""
    storage = storage or default_storage
    connection = connections[using]
    vendor = _vendor(connection)
    destination = Path(destination)
    partial = destination.with_name(f".{destination.name}.partial")
    mtime = int(time.time())
    with tempfile.TemporaryDirectory(prefix="book-backup-") as work:
        dump = Path(work) / DATABASE_FILES[vendor]
        _dump_database(connection, dump)
        names = list(media_names(storage))
        manifest = {
            "format": FORMAT_VERSION,
            "database": vendor,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": len(names),
        }
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode(), mtime)
                archive.add(dump, arcname=dump.name)
                for name in names:
                    _add_media_file(archive, storage, name, mtime)
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _archive_path(name):
    """Where an archive member is unpacked, relative to the work folder; None if it has no place in a backup."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if name == MANIFEST or name in DATABASE_FILES.values():
        return path
    if path.parts[0] == MEDIA_DIR and len(path.parts) > 1:
        return path
    return None


def _unpack(path, work):
    """Unpack every member of the archive at ``path`` into ``work``, reading it to the end."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                relative = _archive_path(member.name)
                if relative is None or not member.isfile():
                    raise BackupError(
                        _("%(path)s is not a backup made by this site: it holds “%(name)s”.")
                        % {"path": path, "name": member.name}
                    )
                target = work.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            _("%(path)s is not a backup archive, or it is damaged or truncated (%(error)s).")
            % {"path": path, "error": error}
        ) from error


def _check_database_file(vendor, dump, connection):
    """Read the database copy through, so that a damaged one is refused before anything changes."""
    if vendor == "postgresql":
        _run_postgres_tool(["pg_restore", "--list", str(dump)], connection)
        return
    copy = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        result = copy.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("The database in the archive is damaged (%(error)s).") % {"error": error}
        ) from error
    finally:
        copy.close()
    if result != ("ok",):
        raise BackupError(_("The database in the archive is damaged (%(error)s).") % {"error": result[0]})


def read_archive(path, work, *, connection):
    """Unpack and check the archive at ``path`` into the folder ``work``; return its manifest."""
    path, work = Path(path), Path(work)
    if not path.is_file():
        raise BackupError(_("No such file: %(path)s") % {"path": path})
    _unpack(path, work)
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (FileNotFoundError, ValueError) as error:
        raise BackupError(
            _("%(path)s is not a backup made by this site: its manifest.json is missing or unreadable.")
            % {"path": path}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            _(
                "%(path)s is a backup of format %(format)s; this version of the site reads format %(expected)s."
            )
            % {
                "path": path,
                "format": manifest.get("format") if isinstance(manifest, dict) else "?",
                "expected": FORMAT_VERSION,
            }
        )
    vendor = manifest.get("database")
    ours = _vendor(connection)
    if vendor != ours:
        raise BackupError(
            _(
                "%(path)s holds a %(theirs)s database and this site uses %(ours)s: restore it on a site "
                "configured with the same kind of database."
            )
            % {"path": path, "theirs": VENDOR_NAMES.get(vendor, vendor), "ours": VENDOR_NAMES[ours]}
        )
    dump = work / DATABASE_FILES[vendor]
    if not dump.is_file():
        raise BackupError(_("%(path)s holds no database.") % {"path": path})
    files = (
        [name for name in (work / MEDIA_DIR).rglob("*") if name.is_file()]
        if (work / MEDIA_DIR).is_dir()
        else []
    )
    if len(files) != manifest.get("files"):
        raise BackupError(
            _("%(path)s is incomplete: its manifest lists %(expected)s media files, it holds %(count)d.")
            % {"path": path, "expected": manifest.get("files"), "count": len(files)}
        )
    _check_database_file(vendor, dump, connection)
    return manifest


def _restore_database(connection, dump, force):
    if connection.vendor == "postgresql":
        # pg_restore needs the tables free of Django's own connection.
        connection.close()
        command = [
            "pg_restore",
            f"--dbname={connection.settings_dict['NAME']}",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        _run_postgres_tool([*command, str(dump)], connection)
        return
    connection.ensure_connection()
    copy = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _restore_media(folder, storage):
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as content:
            saved = storage.save(name, File(content, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(
                _("The media file %(name)s was stored as %(saved)s.") % {"name": name, "saved": saved}
            )


def restore_backup(path, *, force=False, using=DEFAULT_DB_ALIAS, storage=None):
    """Put back the database and the media files of the archive at ``path``; return its manifest.

    Refuses a database that already has tables unless ``force`` is true, in
    which case the archive's tables replace the ones of the same names.
    """
    storage = storage or default_storage
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="book-restore-") as work:
        work = Path(work)
        manifest = read_archive(path, work, connection=connection)
        if not force and connection.introspection.table_names():
            raise BackupError(
                _(
                    "The database %(name)s is not empty: restore into a new, empty database, or run "
                    "again with --force to replace its content with the archive's."
                )
                % {"name": connection.settings_dict["NAME"]}
            )
        _restore_database(connection, work / DATABASE_FILES[manifest["database"]], force)
        _restore_media(work / MEDIA_DIR, storage)
    database_restored.send(sender=restore_backup, using=using)
    # Everything in the cache was built from the database that was just replaced.
    for cache in caches.all():
        cache.clear()
    return manifest
