"""Files of an installation that only its owner may read: local secrets and the embedded database.

The secrets (``.secret_key``, ``.admin_password``, ``.demo_password_*``) are
created with mode 0600 rather than narrowed after being written, and a file
left with wider rights by an older version is narrowed when it is next read.
The SQLite database is narrowed as soon as it is opened: SQLite creates it,
and its journals after it with the same mode, through the process's umask.
"""

import contextlib
import os
import secrets
import stat
from pathlib import Path

OWNER_ONLY = 0o600


def narrow(path):
    """Take the group's and others' rights away from ``path``, if it has any and is ours to change."""
    with contextlib.suppress(OSError):
        if stat.S_IMODE(os.stat(path).st_mode) & 0o077:
            os.chmod(path, OWNER_ONLY)


def write_private(path, text):
    """Write ``text`` to ``path``, readable by its owner only from the moment it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    with os.fdopen(descriptor, "w") as stream:
        # os.open's mode only applies to a new file.
        os.fchmod(stream.fileno(), OWNER_ONLY)
        stream.write(text)


def read_private(path):
    """The text of ``path``, or None when there is no such file; its rights are narrowed first."""
    narrow(path)
    try:
        return Path(path).read_text()
    except FileNotFoundError:
        return None


def generate_password():
    return secrets.token_urlsafe(18)


def write_password(path, password):
    """Write the password readable by its owner only, even when the file existed with wider rights."""
    write_private(path, password + "\n")


def read_password(path):
    text = read_private(path)
    return None if text is None else text.strip()


def narrow_sqlite_file(sender, connection, **kwargs):
    """``connection_created`` receiver: an SQLite database on disk is its owner's alone."""
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        narrow(connection.settings_dict["NAME"])
