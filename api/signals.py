"""Every change to what the public can read makes a new content version (see ``api.http``), and
marks stale the stored documents it changes (see ``api.documents``).

The version changes at once, so that this server stops serving what it had,
and again when the transaction commits: a server that rebuilt a response in
between read the database before the change was committed, and stored it
under the intermediate version, which the second change makes obsolete.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail import signals as wagtail_signals
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction

from book import kinds, selectors
from book.models import ChapterPage, Edition, TranslationCoverage, TranslationCredit
from book.signals import cache_available_again, database_restored, provenance_rewritten, worker_tick

from . import cdn, documents, embeds
from .dependencies import key_target
from .http import bump_content_version
from .models import StoredDocument
from .views import ITEM_VIEWSETS

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


def shown_by_descendants(item):
    """Whether pages below ``item`` show it (a chapter names its part, a part its book): from the registry."""
    kind = kinds.kind_of(item)
    return kind is not None and kind.page and bool(kinds.showing(kind, kinds.PARENT))


def content_changed(instance=None):
    bump_content_version()
    transaction.on_commit(bump_content_version, robust=True)
    documents.content_changed(shown_in(instance))


def shown_in(instance):
    """The ids of the languages whose content ``instance`` changes, or None for any language.

    A book lists its other languages, and a language, an image or a restriction of access may
    be shown in any of them.
    """
    if isinstance(instance, (PageViewRestriction, CollectionViewRestriction, Locale, TranslationCredit)):
        return None
    locale_id = getattr(instance, "locale_id", None)
    model = instance.specific_class if isinstance(instance, Page) else type(instance)
    if locale_id is None or kinds.kind_of(model) is kinds.BOOK:
        return None
    return [locale_id]


def back_references(item, kind):
    """The keys of the items whose documents list ``item`` through their own links (a chapter's
    contributors and themes list their chapters), with their kinds: as linked now."""
    keys, showing = set(), set()
    for other in kinds_showing(kind):
        via = next(reference.via for reference in other.references if reference.kind == kind.name)
        relation = other.model._meta.get_field(via)
        if not relation.one_to_many:
            # A foreign key of theirs: what they show of it is in their dependencies.
            continue
        link_model = relation.related_model
        rows = link_model.objects.filter(**{kind.name: item.pk}).values_list(
            f"{relation.field.name}__translation_key", flat=True
        )
        keys.update(key_target(key) for key in rows)
        showing.add(other.name)
    return keys, showing


def kinds_showing(kind):
    return [
        other
        for other in kinds.KINDS
        for reference in other.references
        if reference.kind == kind.name and reference.via not in (kinds.PARENT, kinds.DESCENDANTS)
    ]


def item_changed(item):
    """``item`` (a page of the book or a snippet) was published, unpublished, moved, deleted or saved."""
    kind = kinds.kind_of(item)
    if kind is None:
        if isinstance(item, Page):
            documents.changed(documents.page_targets([item]))
        return
    # Those listing it show nothing else that changed: what shows them stays as it is.
    listing, shown_kinds = back_references(item, kind)
    targets = {key_target(item.translation_key)}
    shown_kinds.add(kind.name)
    if isinstance(item, Page):
        targets |= documents.page_targets([item])
        if shown_by_descendants(item):
            targets |= documents.descendant_keys(item)
            shown_kinds.add(kinds.CHAPTER.name)
    documents.changed(targets, shown_kinds, listing=listing)


def _page_event(sender, instance, **kwargs):
    content_changed(instance)
    item_changed(instance.specific_deferred if type(instance) is Page else instance)


def _snippet_event(sender, instance, **kwargs):
    content_changed(instance)
    if isinstance(instance, kinds.snippet_models()):
        item_changed(instance)


def _saved(sender, instance, **kwargs):
    if isinstance(instance, SAVED_DIRECTLY):
        content_changed(instance)
        _documents_saved_or_deleted(instance)
    elif isinstance(instance, TranslationCoverage):
        _coverage_saved(instance)


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, DELETED):
        content_changed(instance)
        if not isinstance(instance, Page):
            _documents_saved_or_deleted(instance)


def _page_deleting(sender, instance, **kwargs):
    """Before the rows go: the pages below can no longer be found afterwards."""
    if isinstance(instance, Page):
        documents.changed(documents.page_targets([instance]) | documents.descendant_keys(instance))
        item_changed(instance.specific_deferred if type(instance) is Page else instance)


def _documents_saved_or_deleted(instance):
    if isinstance(instance, kinds.snippet_models()):
        item_changed(instance)
    elif isinstance(instance, (Locale, CollectionViewRestriction)):
        documents.changed(everything=True)
    elif isinstance(instance, PageViewRestriction):
        pages = list(selectors.turned_by(instance)) or [instance.page]
        targets = documents.page_targets(pages)
        for page in pages:
            targets |= documents.descendant_keys(page)
        documents.changed(targets, [kind.name for kind in documents.documented_kinds()])
    elif isinstance(instance, TranslationCredit):
        # The credits are in the item's documents, and in those of every list that shows it.
        documents.changed(
            {key_target(instance.translation_key)}, [kind.name for kind in documents.documented_kinds()]
        )
    elif isinstance(instance, get_image_model()):
        documents.changed({f"image:{instance.pk}"})
    elif isinstance(instance, get_document_model()):
        documents.changed({f"document:{instance.pk}"})


def _coverage_saved(coverage):
    """A translation's completeness and provenance are part of its documents; they may be recorded
    after publication (the review's approval, or ``record_provenance`` for earlier translations)."""
    revision = coverage.revision
    if revision.base_content_type_id == documents.page_content_type_id():
        page = Page.objects.filter(pk=revision.object_id).first()
        if page is not None:
            item_changed(page.specific_deferred)
        return
    model = revision.base_content_type.model_class()
    if model in kinds.snippet_models():
        item = model._default_manager.filter(pk=revision.object_id).first()
        if item is not None:
            item_changed(item)


def _embeds_described(urls=(), **kwargs):
    """What a provider says of an embed is in the documents of the items that embed it, and only theirs."""
    documents.changed({embeds.embed_target(url) for url in urls})


def _documents_committed(keys, **kwargs):
    """A change committed: its stale documents are built again at once, when they are few, and the CDN
    purged of those whose body changed or that are gone; the worker's round does the rest."""
    if keys is not None:
        cdn.purge_documents(documents.refresh(ITEM_VIEWSETS, keys, limit=documents.EAGER_LIMIT))


def _worker_round(**kwargs):
    """Build again whatever is still stale, and purge the CDN of what changed."""
    cdn.purge_documents(documents.refresh(ITEM_VIEWSETS))


def _restored(using="default", **kwargs):
    """A backup was put back: its stored documents were built for the old site's media and addresses."""
    StoredDocument.objects.using(using).all().delete()


def _provenance_rewritten(apps, using="default", **kwargs):
    """A data migration rewrote translations' provenance, which the stored documents show: they are
    dropped, to be built again when first read, and the responses cached from them made obsolete."""
    stored = apps.get_model("api", "StoredDocument")
    if not stored.objects.using(using).exists():
        return
    stored.objects.using(using).all().delete()
    documents.bump_tokens(["all"])
    bump_content_version()


def renew_after_outage(**kwargs):
    """Redis is back: a publication during the outage could not replace the version it still holds."""
    bump_content_version()
    documents.bump_tokens(["all"])


def connect():
    """Wagtail sends the page signals for translations that wagtail-localize publishes, too."""
    for name in ("page_published", "page_unpublished", "post_page_move"):
        getattr(wagtail_signals, name).connect(_page_event, dispatch_uid=f"api-content-version-{name}")
    for name in ("published", "unpublished"):
        getattr(wagtail_signals, name).connect(_snippet_event, dispatch_uid=f"api-content-version-{name}")
    post_save.connect(_saved, dispatch_uid="api-content-version-saved")
    post_delete.connect(_deleted, dispatch_uid="api-content-version-deleted")
    pre_delete.connect(_page_deleting, dispatch_uid="api-documents-page-deleting")
    cache_available_again.connect(renew_after_outage, dispatch_uid="api-content-version-cache-back")
    documents.committed.connect(_documents_committed, dispatch_uid="api-documents-committed")
    worker_tick.connect(_worker_round, dispatch_uid="api-documents-worker-round")
    database_restored.connect(_restored, dispatch_uid="api-documents-restored")
    provenance_rewritten.connect(_provenance_rewritten, dispatch_uid="api-documents-provenance-rewritten")
    embeds.described.connect(_embeds_described, dispatch_uid="api-documents-embeds-described")
    wagtail_signals.page_published.connect(
        embeds.chapter_published, sender=ChapterPage, dispatch_uid="api-embeds-chapter-published"
    )
