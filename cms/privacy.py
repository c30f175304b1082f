"""A section made private stays private in every language.

Privacy in Wagtail is a view restriction on a page (a password, any signed-in
user, some groups) that hides the page and everything below it. Each language
of the book is a page tree of its own, so a restriction on a French section
alone would leave its English and Spanish versions public. So:

- a restriction on a page of the source language is *mirrored* onto each
  translation of that page (the page with the same translation key in another
  language) and kept in step when its kind, password or groups change, or when
  it is removed, whatever changes it: the admin's "Privacy" dialog or code.
  A translation made later starts with it, and wagtail-localize's sync of a
  translation goes through the same rule;
- a mirrored restriction is marked so (:class:`cms.models.MirroredViewRestriction`).
  A translation's restriction without the mark was given to that language on
  purpose, different from its source's, and is never touched. A restriction
  set or changed on a translation by anyone but the mirror keeps (or gets) the
  mark while it is the same as its source's, and loses it once it differs;
- a translation with no restriction while its source has one is given the
  source's again at the next change to it: a language made public while its
  source stays private does not outlast the source's next privacy change, nor
  the next sync of the translation (wagtail-localize copies it then);
- a restriction that goes with its page, deleted, changes nothing elsewhere.

The translations' restrictions are saved like any other, so what they hide or
show again is recorded in the change feed, sent to subscribers and purged from
the CDN like the source's (:mod:`api.webhooks.signals`, :mod:`api.cdn`), in the
same transaction: the admin's privacy dialog runs in one
(:func:`run_privacy_dialog_atomically`).
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import URLPattern, URLResolver
from wagtail import signals as wagtail_signals
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .models import MirroredViewRestriction

# Set on a restriction the mirror itself saves or deletes, so that its own
# changes are not taken for someone else's.
MIRRORING = "_cms_privacy_mirroring"


def _source_locale_id():
    return (
        Locale.objects.filter(language_code=settings.BOOK_SOURCE_LANGUAGE)
        .values_list("pk", flat=True)
        .first()
    )


def _state(restriction):
    """What a restriction asks of a reader: its kind, and the password or groups that kind uses."""
    if restriction is None:
        return None
    kind = restriction.restriction_type
    return (
        kind,
        restriction.password if kind == PageViewRestriction.PASSWORD else "",
        frozenset(restriction.groups.values_list("pk", flat=True))
        if kind == PageViewRestriction.GROUPS
        else frozenset(),
    )


def _own_restriction(page):
    """The restriction set on ``page`` itself (Wagtail's dialog keeps one per page), or None."""
    return PageViewRestriction.objects.filter(page=page).order_by("pk").first()


def source_of(page):
    """The source-language version of ``page``; None if it is one, or has none."""
    source_locale_id = _source_locale_id()
    if page.locale_id == source_locale_id:
        return None
    return Page.objects.filter(translation_key=page.translation_key, locale_id=source_locale_id).first()


def mirror(source_page, translation):
    """Give ``translation`` the privacy of ``source_page``, unless it has a privacy of its own."""
    existing = list(PageViewRestriction.objects.filter(page=translation).order_by("pk"))
    marked = set(
        MirroredViewRestriction.objects.filter(restriction__in=existing).values_list(
            "restriction_id", flat=True
        )
    )
    if any(restriction.pk not in marked for restriction in existing):
        return
    source = _own_restriction(source_page)
    with transaction.atomic():
        if source is None:
            for restriction in existing:
                setattr(restriction, MIRRORING, True)
                restriction.delete()
            return
        target, *extra = existing or [PageViewRestriction(page=translation)]
        for restriction in extra:
            setattr(restriction, MIRRORING, True)
            restriction.delete()
        setattr(target, MIRRORING, True)
        if target.pk is None or (target.restriction_type, target.password) != (
            source.restriction_type,
            source.password,
        ):
            target.restriction_type = source.restriction_type
            target.password = source.password
            target.save()
        MirroredViewRestriction.objects.get_or_create(restriction=target)
        groups = set(source.groups.values_list("pk", flat=True))
        if set(target.groups.values_list("pk", flat=True)) != groups:
            target.groups.set(groups)


def follow_source(source_page):
    """Bring every translation of a source-language page in step with its privacy."""
    translations = (
        Page.objects.filter(translation_key=source_page.translation_key)
        .exclude(locale_id=source_page.locale_id)
        .order_by("path")
    )
    with transaction.atomic():
        for translation in translations:
            mirror(source_page, translation)


def _judge(restriction):
    """A translation's restriction changed by someone: it follows its source while it is the same."""
    source_page = source_of(restriction.page)
    source = _own_restriction(source_page) if source_page is not None else None
    if source is not None and _state(source) == _state(restriction):
        MirroredViewRestriction.objects.get_or_create(restriction=restriction)
    else:
        MirroredViewRestriction.objects.filter(restriction=restriction).delete()


def _changed(restriction):
    if getattr(restriction, MIRRORING, False):
        return
    if restriction.page.locale_id == _source_locale_id():
        follow_source(restriction.page)
    else:
        _judge(restriction)


def restriction_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _changed(instance)


def restriction_deleted(sender, instance, origin=None, **kwargs):
    if getattr(instance, MIRRORING, False):
        return
    if getattr(origin, "model", type(origin)) is not PageViewRestriction:
        # Gone with its page (or something else being deleted): nothing to follow.
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None and page.locale_id == _source_locale_id():
        follow_source(page)


CLEARED = "_cms_privacy_cleared"
ATOMIC = "_cms_privacy_atomic"


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The groups of a restriction (or the restrictions of a group) changed."""
    if reverse:
        # ``instance`` is a group; ``pk_set`` the restrictions, unknown once cleared.
        if action == "pre_clear":
            setattr(instance, CLEARED, list(instance.pageviewrestriction_set.values_list("pk", flat=True)))
            return
        if action == "post_clear":
            pk_set = getattr(instance, CLEARED, ())
        restrictions = PageViewRestriction.objects.filter(pk__in=pk_set or ()).select_related("page")
    else:
        restrictions = [instance]
    if action in ("post_add", "post_remove", "post_clear"):
        for restriction in restrictions:
            _changed(restriction)


def translation_created(sender, source_obj, target_obj, **kwargs):
    """A page copied into another language starts with its source's privacy.

    Wagtail copies a restriction with the page only when the new page's parent
    is not private already: the copy of a private chapter in a private part
    would become public with the part.
    """
    if isinstance(target_obj, Page):
        source_page = source_of(target_obj)
        if source_page is not None:
            mirror(source_page, target_obj)


def _localize_sync(original_sync):
    """wagtail-localize's own sync of a translation's privacy, minding the translation's own.

    When it saves a translation (``TranslationSource.sync_view_restrictions``),
    wagtail-localize copies its source's restriction over the translation's,
    or deletes the translation's when the source has none: a restriction given
    to that language on purpose would go with the next publication of the
    translation. The source-language version rules instead, through
    :func:`mirror`, which leaves such a restriction alone.
    """

    def sync_view_restrictions(self, original, translation_page):
        if not isinstance(translation_page, Page):
            return original_sync(self, original, translation_page)
        source_page = source_of(translation_page)
        if source_page is None:
            return original_sync(self, original, translation_page)
        mirror(source_page, translation_page)
        return None

    sync_view_restrictions.follows_source = True
    return sync_view_restrictions


def run_privacy_dialog_atomically(admin_urlpatterns):
    """Wrap Wagtail's privacy dialog, among the admin's URL patterns, in one transaction.

    A page's new privacy and its translations', with the change events, are
    then written together or not at all. Done in place, as Wagtail decorates
    its own admin views, so the dialog keeps its address and its name.
    """
    for resolver in admin_urlpatterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == "wagtailadmin_pages":
            for pattern in resolver.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name == "set_privacy":
                    if not getattr(pattern.callback, ATOMIC, False):
                        decorate_urlpatterns([pattern], transaction.atomic)
                        setattr(pattern.callback, ATOMIC, True)
                    return
    raise LookupError("Wagtail's admin has no privacy dialog (wagtailadmin_pages:set_privacy).")


def connect():
    from wagtail_localize.models import TranslationSource

    post_save.connect(restriction_saved, sender=PageViewRestriction, dispatch_uid="cms-privacy-saved")
    post_delete.connect(restriction_deleted, sender=PageViewRestriction, dispatch_uid="cms-privacy-deleted")
    m2m_changed.connect(
        groups_changed, sender=PageViewRestriction.groups.through, dispatch_uid="cms-privacy-groups"
    )
    wagtail_signals.copy_for_translation_done.connect(translation_created, dispatch_uid="cms-privacy-copied")
    if not getattr(TranslationSource.sync_view_restrictions, "follows_source", False):
        TranslationSource.sync_view_restrictions = _localize_sync(TranslationSource.sync_view_restrictions)
