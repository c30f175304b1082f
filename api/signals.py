"""Every change to what the public can read makes a new content version (see ``api.http``).

The version changes at once, so that this server stops serving what it had,
and again when the transaction commits: a server that rebuilt a response in
between read the database before the change was committed, and stored it
under the intermediate version, which the second change makes obsolete.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail import signals as wagtail_signals
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction

from book import kinds
from book.models import ChapterPage, Edition, TranslationCredit
from book.signals import cache_available_again

from . import embeds
from .http import bump_content_version

# Saved outside any revision or publication (a translated snippet set live
# directly, a new language, a section made private, an image's file or a
# document's title edited, a collection of documents made private, a new
# edition of the book built, translators credited), so watched on every save.
SAVED_DIRECTLY = (
    *kinds.snippet_models(),
    Edition,
    TranslationCredit,
    Locale,
    PageViewRestriction,
    CollectionViewRestriction,
    get_image_model(),
    get_document_model(),
)
DELETED = (Page, *SAVED_DIRECTLY)


def content_changed(**kwargs):
    bump_content_version()
    transaction.on_commit(bump_content_version, robust=True)


def _saved(sender, instance, **kwargs):
    if isinstance(instance, SAVED_DIRECTLY):
        content_changed()


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, DELETED):
        content_changed()


def renew_after_outage(**kwargs):
    """Redis is back: a publication during the outage could not replace the version it still holds."""
    bump_content_version()


def connect():
    """Wagtail sends the page signals for translations that wagtail-localize publishes, too."""
    for name in ("page_published", "page_unpublished", "post_page_move", "published", "unpublished"):
        getattr(wagtail_signals, name).connect(content_changed, dispatch_uid=f"api-content-version-{name}")
    post_save.connect(_saved, dispatch_uid="api-content-version-saved")
    post_delete.connect(_deleted, dispatch_uid="api-content-version-deleted")
    cache_available_again.connect(renew_after_outage, dispatch_uid="api-content-version-cache-back")
    wagtail_signals.page_published.connect(
        embeds.chapter_published, sender=ChapterPage, dispatch_uid="api-embeds-chapter-published"
    )
