"""Queries that more than one part of the project needs, written once.

The one definition of "visible to the public" (``public``, ``not_expired``) is
in ``book.visibility``, which the models use too; it is read here as
``selectors.public``.
"""

from types import SimpleNamespace

from django.db.models import Q, QuerySet

from .visibility import not_expired, public


def turned_by(restriction):
    """The pages that ``restriction`` alone hides from the public (or shows again once deleted).

    Live, not expired pages in the restricted section that no other view
    restriction hides: created, the restriction makes them private; deleted,
    public again. Specific pages, in tree order.
    """
    from wagtail.models import Page, PageViewRestriction

    others = Q(pk__in=[])
    for path in PageViewRestriction.objects.exclude(pk=restriction.pk).values_list("page__path", flat=True):
        others |= Q(path__startswith=path)
    section = Page.objects.descendant_of(restriction.page, inclusive=True)
    return public(section, private_q=others).order_by("path").specific()


def table_of_contents(book, include_unpublished=False):
    """The parts of ``book`` in order, each with its chapters in order (see ``BookPage.table_of_contents``)."""
    return book.table_of_contents(include_unpublished=include_unpublished)


def published(model, private_q=None, now=None):
    """Every instance of ``model`` a reader may see: public pages, or live, unexpired draftable snippets.

    ``now``: the moment what has expired is told at, when not the present (see ``book.visibility``).
    """
    from wagtail.models import Page

    queryset = model.objects.all()
    if issubclass(model, Page):
        return public(queryset, private_q, now)
    return queryset.filter(not_expired(now), live=True)


def published_in_locale(model, locale, private_q=None):
    """The published instances of ``model`` in one language."""
    return published(model, private_q).filter(locale=locale)


def best_versions(queryset, keys, locale_ids, fields=None):
    """For each translation key, its version in the first of ``locale_ids`` that has one.

    One query whatever the number of keys (a list, or a subquery of keys);
    keys with no version in those locales are left out of the result. With
    ``fields``, each version is a plain object with just those attributes
    (``pk``, ``translation_key`` and ``locale_id`` always among them) rather
    than a model instance: much cheaper where only a reference is shown.
    """
    rank = {locale_id: position for position, locale_id in enumerate(locale_ids)}
    best = {}
    if not isinstance(keys, QuerySet):
        keys = set(keys)
    if not locale_ids or (isinstance(keys, set) and not keys):
        return best
    versions = queryset.filter(translation_key__in=keys, locale_id__in=locale_ids)
    if fields is not None:
        names = list(dict.fromkeys(["pk", "translation_key", "locale_id", *fields]))
        versions = (SimpleNamespace(**row) for row in versions.values(*names))
    for item in versions:
        current = best.get(item.translation_key)
        if current is None or rank[item.locale_id] < rank[current.locale_id]:
            best[item.translation_key] = item
    return best


def other_versions(queryset, keys, locale_id):
    """For each translation key, the other locales that have a version of it, with the live revision of each:
    ``{key: [(locale id, live revision id), ...]}`` (one query)."""
    found = {}
    if not keys:
        return found
    rows = (
        queryset.filter(translation_key__in=set(keys))
        .exclude(locale_id=locale_id)
        .order_by("locale_id")
        .values_list("translation_key", "locale_id", "live_revision_id")
    )
    for key, other, revision_id in rows:
        found.setdefault(key, []).append((other, revision_id))
    return found


def chapter_keys_by_contributors(contributor_keys):
    """The chapters crediting each contributor, as ``{contributor key: {chapter key: role}}`` in credit order.

    One query whatever the number of contributors; a contributor credited nowhere is left out.
    """
    from .models import ChapterContributor

    rows = (
        ChapterContributor.objects.filter(contributor__translation_key__in=set(contributor_keys))
        .order_by("chapter__path", "sort_order")
        .values_list("contributor__translation_key", "chapter__translation_key", "role")
    )
    credits = {}
    for contributor_key, chapter_key, role in rows:
        credits.setdefault(contributor_key, {}).setdefault(chapter_key, role)
    return credits


def chapter_keys_by_themes(theme_keys):
    """The translation keys of the chapters filed under each theme, as ``{theme key: {chapter key, ...}}``.

    One query whatever the number of themes.
    """
    from .models import ChapterTheme

    rows = ChapterTheme.objects.filter(theme__translation_key__in=set(theme_keys)).values_list(
        "theme__translation_key", "chapter__translation_key"
    )
    keys = {}
    for theme_key, chapter_key in rows:
        keys.setdefault(theme_key, set()).add(chapter_key)
    return keys
