"""What makes a language's editions outdated: any change readers of that language would see.

Pages of the book (chapters, parts, contributors, themes, the book itself)
published, unpublished, moved or deleted; a section made private or public
again; a city or a sector changed; translators credited. Each marks the editions of its language's
books once the change is committed, so that the rebuild it queues reads it.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail import signals as wagtail_signals
from wagtail.models import Page, PageViewRestriction

from book import kinds
from book.models import Edition, TranslationCredit

from . import tasks

logger = logging.getLogger(__name__)

BOOK_APP = "book"
SNIPPETS = kinds.snippet_models()


def _later(locale_id, change, subject):
    def mark():
        try:
            tasks.mark_outdated(locale_id, change, subject)
        except Exception:
            # The change itself is committed; the editions are rebuilt by the next change or by hand.
            logger.exception("Could not mark the editions of locale %s outdated.", locale_id)

    transaction.on_commit(mark)


def _is_book_page(page):
    # Moves and deletions may name the page as a plain Page: its content type says what it is.
    if not isinstance(page, Page):
        return False
    model = page.specific_class if page.content_type_id else type(page)
    return model is not None and model._meta.app_label == BOOK_APP


def _page_changed(change):
    def handler(sender, instance, **kwargs):
        if _is_book_page(instance):
            _later(instance.locale_id, change, instance.title)

    return handler


def _snippet_changed(change):
    def handler(sender, instance, **kwargs):
        if isinstance(instance, SNIPPETS) and not kwargs.get("raw"):
            _later(instance.locale_id, change, str(instance))

    return handler


def _privacy_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).only("locale_id", "title").first()
    if page is not None:
        _later(page.locale_id, Edition.Change.PRIVACY, page.title)


def _credits_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(instance.locale_id, Edition.Change.CREDITS, ", ".join(instance.translators))


HANDLERS = {
    "published": _page_changed(Edition.Change.PUBLISHED),
    "unpublished": _page_changed(Edition.Change.UNPUBLISHED),
    "moved": _page_changed(Edition.Change.MOVED),
    "deleted": _page_changed(Edition.Change.DELETED),
    "snippet_published": _snippet_changed(Edition.Change.PUBLISHED),
    "snippet_unpublished": _snippet_changed(Edition.Change.UNPUBLISHED),
    "snippet_deleted": _snippet_changed(Edition.Change.DELETED),
}


def connect():
    wagtail_signals.page_published.connect(HANDLERS["published"], dispatch_uid="editions-published")
    wagtail_signals.page_unpublished.connect(HANDLERS["unpublished"], dispatch_uid="editions-unpublished")
    wagtail_signals.post_page_move.connect(HANDLERS["moved"], dispatch_uid="editions-moved")
    post_delete.connect(HANDLERS["deleted"], dispatch_uid="editions-page-deleted")
    # Cities and sectors are set live by a publication, or saved directly by translation tools.
    wagtail_signals.published.connect(
        HANDLERS["snippet_published"], dispatch_uid="editions-snippet-published"
    )
    wagtail_signals.unpublished.connect(
        HANDLERS["snippet_unpublished"], dispatch_uid="editions-snippet-unpublished"
    )
    for model in SNIPPETS:
        post_save.connect(
            HANDLERS["snippet_published"], sender=model, dispatch_uid=f"editions-saved-{model.__name__}"
        )
        post_delete.connect(
            HANDLERS["snippet_deleted"], sender=model, dispatch_uid=f"editions-deleted-{model.__name__}"
        )
    post_save.connect(_credits_changed, sender=TranslationCredit, dispatch_uid="editions-credits-saved")
    post_delete.connect(_credits_changed, sender=TranslationCredit, dispatch_uid="editions-credits-deleted")
    post_save.connect(_privacy_changed, sender=PageViewRestriction, dispatch_uid="editions-privacy-saved")
    post_delete.connect(_privacy_changed, sender=PageViewRestriction, dispatch_uid="editions-privacy-deleted")
