"""Writing a read manuscript into a chapter: its images stored, its blocks a new draft revision."""

import io

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike


def write_draft(page, manuscript, user=None):
    """Stores the images and saves the blocks as the chapter's body in a new draft revision.

    The live version, if any, is untouched; the previous draft stays in the history.
    All or nothing: on any failure the database is rolled back and the files already
    written are removed from the storage.
    """
    Image = get_image_model()
    collection = Collection.get_first_root_node()
    stored = []
    try:
        with transaction.atomic():
            image_ids = {}
            for number, image in manuscript.images.items():
                if image is None:
                    continue
                handle = io.BytesIO(image.data)
                record = Image(
                    title=(_("%(chapter)s, image %(number)s") % {"chapter": page.title, "number": number})[
                        :255
                    ],
                    description=image.alt,
                    collection=collection,
                    file=ImageFile(handle, name=image.name),
                    file_size=len(image.data),
                    file_hash=hash_filelike(io.BytesIO(image.data)),
                )
                record.save()
                stored.append((record.file.storage, record.file.name))
                image_ids[number] = record.pk
            draft = page.get_latest_revision_as_object()
            draft.body = manuscript.stored_blocks(image_ids)
            revision = draft.save_revision(user=user, log_action=True)
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    return revision
