"""Building one edition (a book in one language, in one format) and storing its file.

A build claims its edition with one conditional UPDATE of the edition's row,
so that two builds of one edition never run at once, on SQLite as on
PostgreSQL. The file is written first, under a name made of its SHA-256
(``editions/<sha256[:16]>/<title>-<language>.<ext>``), and only then does the
row point at it: until then readers keep downloading the previous file, and a
build that fails leaves the row pointing at it, with the error recorded. Once
the new file is recorded (the transaction committed), the file it replaces is
deleted from storage, unless another edition still names it.
"""

import contextlib
import hashlib
import logging
import os
import posixpath
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from book import selectors
from book.models import BookPage, Edition

from .formats import FORMATS

logger = logging.getLogger(__name__)


class BuildInProgress(Exception):
    """Another build of the same edition is under way."""


class BuildFailed(Exception):
    """The build could not make the file; the reason is recorded on the edition."""


def stale_after():
    """How long a build may run before it is taken for one whose process died."""
    return timedelta(seconds=settings.EDITIONS_BUILD_TIMEOUT)


def public_books(locale=None, book_key=None):
    """The books a reader may see, in one language or all, with their locale."""
    books = selectors.published(BookPage).select_related("locale").order_by("locale__language_code", "path")
    if locale is not None:
        books = books.filter(locale=locale)
    if book_key is not None:
        books = books.filter(translation_key=book_key)
    return books


def editions_of(books, formats=None):
    """The edition of each book in each format (``formats``: names, all by default), created when missing."""
    editions = []
    for book in books:
        for name in formats or FORMATS:
            edition, _created = Edition.objects.get_or_create(
                book_key=book.translation_key,
                locale_id=book.locale_id,
                format=name,
                defaults={"outdated_change": Edition.Change.NEW, "outdated_since": timezone.now()},
            )
            editions.append(edition)
    return editions


def file_name(book, extension):
    """The readable part of the stored name, also the downloaded file's name: title and language."""
    title = slugify(book.title) or slugify(book.slug) or "book"
    return f"{title[:80]}-{book.locale.language_code.lower()}.{extension}"


def storage_for(media_type, filename):
    """The media storage, told on S3 the content type and the download's file name of what it writes.

    Local files get both from the server that serves them (see ``cms.media``).
    """
    config = settings.STORAGES["default"]
    backend = import_string(config["BACKEND"])
    from storages.backends.s3 import S3Storage

    if not issubclass(backend, S3Storage):
        return default_storage
    options = dict(config.get("OPTIONS", {}))
    parameters = options.get("object_parameters") or getattr(settings, "AWS_S3_OBJECT_PARAMETERS", {})
    options["object_parameters"] = {
        **parameters,
        "ContentType": media_type,
        "ContentDisposition": content_disposition_header(as_attachment=True, filename=filename),
    }
    return backend(**options)


def store(book, edition_format, data):
    """Write ``data`` under its content-addressed name unless it is there already; the name and SHA-256."""
    sha256 = hashlib.sha256(data).hexdigest()
    filename = file_name(book, edition_format.extension)
    name = f"editions/{sha256[:16]}/{filename}"
    storage = storage_for(edition_format.media_type, filename)
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            # The storage renamed it (a concurrent writer of the same bytes): use what it wrote.
            name = saved
    return name, sha256


def claim(edition):
    """Mark the edition as building, unless another build holds it; True when this caller holds it now."""
    now = timezone.now()
    free = (
        ~Q(state=Edition.State.BUILDING)
        | Q(building_since__isnull=True)
        | Q(building_since__lt=now - stale_after())
    )
    claimed = (
        Edition.objects.filter(pk=edition.pk)
        .filter(free)
        .update(state=Edition.State.BUILDING, building_since=now)
    )
    return bool(claimed)


def build(edition):
    """Build ``edition`` now, in this process, and make it the one readers download.

    Raises ``BuildInProgress`` when another build of it runs, ``BuildFailed``
    (after recording the reason on the edition) when this one fails.
    """
    if not claim(edition):
        raise BuildInProgress(_("A build of this edition is already under way."))
    started = time.monotonic()
    edition_format = FORMATS.get(edition.format)
    try:
        if edition_format is None:
            raise BuildFailed(_("Unknown format “%(format)s”.") % {"format": edition.format})
        book = public_books(book_key=edition.book_key).filter(locale_id=edition.locale_id).first()
        if book is None:
            raise BuildFailed(_("The book is not published in this language."))
        built = edition_format.build(book)
        name, sha256 = store(book, edition_format, built.data)
    except Exception as error:
        reason = str(error) if isinstance(error, BuildFailed) else f"{type(error).__name__}: {error}"
        logger.exception("The %s edition %s could not be built.", edition.format, edition.pk)
        Edition.objects.filter(pk=edition.pk).update(
            state=Edition.State.FAILED, error=reason, building_since=None, build_seconds=None
        )
        raise BuildFailed(reason) from error
    return finish(edition, edition_format, name, sha256, built, time.monotonic() - started)


def finish(edition, edition_format, name, sha256, built, seconds):
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        superseded = ""
        if edition.sha256 != sha256 or not edition.file:
            if edition.file and edition.file.name != name:
                superseded = edition.file.name
            edition.file.name = name
            edition.sha256 = sha256
            edition.bytes = len(built.data)
            edition.built_at = timezone.now()
        edition.media_type = edition_format.media_type
        edition.complete = built.complete
        edition.warnings = list(built.warnings)
        edition.build_seconds = round(seconds, 3)
        edition.error = ""
        edition.building_since = None
        if edition.rebuild_after is not None:
            # Something changed while this build ran: the queued rebuild makes it current.
            edition.state = Edition.State.OUTDATED
        else:
            edition.state = Edition.State.CURRENT
            edition.outdated_since = None
            edition.outdated_change = ""
            edition.outdated_subject = ""
        edition.save()
        if superseded:
            # Readers are sent to the new file only once this commits: the old one goes then.
            transaction.on_commit(lambda: delete_superseded(superseded), robust=True)
    return edition


def delete_superseded(name):
    """Delete a file no edition names any more (a new build replaced it); True when it was deleted.

    A file another edition still names stays. A deletion that fails leaves a
    file behind, which costs space, not readers: it is logged, not raised.
    """
    if Edition.objects.filter(file=name).exists():
        return False
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("The superseded edition file %s could not be deleted.", name)
        return False
    remove_empty_folder(posixpath.dirname(name))
    return True


def remove_empty_folder(folder):
    """On local files, the content-addressed folder a deleted file leaves empty (S3 has no folders)."""
    try:
        path = default_storage.path(folder)
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):
        os.rmdir(path)  # refuses a folder that is not empty
