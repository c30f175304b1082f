"""Opening a zip (a .docx is one) only after its sizes say it is safe to.

Every entry's declared size is checked before anything is unpacked: the whole
archive may not unpack to more than BOOK_MANUSCRIPT_MAX_UNPACKED_BYTES, nor hold
more than BOOK_MANUSCRIPT_MAX_ENTRIES entries, and no large entry may unpack to
more than BOOK_MANUSCRIPT_MAX_RATIO times its compressed size (a zip bomb). Python's
zipfile never returns more than an entry's declared size, so the checks hold while
reading too; an entry whose data does not match its checksum is a corrupt file.
"""

import io
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ManuscriptError

# Small entries (XML parts) compress very well without being bombs.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
ENCRYPTED_FLAG = 0x1


def corrupt(what):
    return ManuscriptError(_("The file is damaged: its %(what)s cannot be read.") % {"what": what})


def open_archive(data, what):
    """A ZipFile over ``data`` whose sizes have been checked; ``what`` names the file for messages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise corrupt(what) from error
    if len(entries) > settings.BOOK_MANUSCRIPT_MAX_ENTRIES:
        raise ManuscriptError(
            _("The file holds %(count)s parts, more than the %(limit)s accepted.")
            % {"count": len(entries), "limit": settings.BOOK_MANUSCRIPT_MAX_ENTRIES}
        )
    unpacked = 0
    for entry in entries:
        if entry.flag_bits & ENCRYPTED_FLAG:
            raise ManuscriptError(
                _("The file is protected by a password: save it without one and try again.")
            )
        unpacked += entry.file_size
        if (
            entry.file_size > RATIO_CHECKED_FROM_BYTES
            and entry.file_size > settings.BOOK_MANUSCRIPT_MAX_RATIO * max(entry.compress_size, 1)
        ):
            raise ManuscriptError(
                _(
                    "The file's part “%(name)s” would unpack to %(ratio)s times its packed size "
                    "(at most %(limit)s accepted): it is refused as a zip bomb."
                )
                % {
                    "name": entry.filename[:80],
                    "ratio": entry.file_size // max(entry.compress_size, 1),
                    "limit": settings.BOOK_MANUSCRIPT_MAX_RATIO,
                }
            )
    if unpacked > settings.BOOK_MANUSCRIPT_MAX_UNPACKED_BYTES:
        raise ManuscriptError(
            _("The file would unpack to %(size)s MB, more than the %(limit)s MB accepted.")
            % {
                "size": round(unpacked / 1024 / 1024, 1),
                "limit": round(settings.BOOK_MANUSCRIPT_MAX_UNPACKED_BYTES / 1024 / 1024, 1),
            }
        )
    return archive


def read_entry(archive, name, what):
    """The bytes of one entry, or None when the archive has no such entry."""
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    try:
        return archive.read(name)
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
        EOFError,
    ) as error:
        raise corrupt(what) from error
