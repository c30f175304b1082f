"""Queries that more than one part of the project needs, written once.

The one definition of "visible to the public" lives here: a page is public
when it is live, not expired, and neither it nor an ancestor carries a view
restriction.
"""

from django.db.models import Q
from django.utils import timezone


def public(queryset, private_q=None):
    """Restrict a page queryset to what an anonymous reader may see.

    Finding the private sections costs a query; callers filtering several
    querysets at once compute ``queryset.private_q()`` once and pass it in.
    """
    if private_q is None:
        private_q = queryset.private_q()
    return (
        queryset.live()
        .exclude(private_q)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
    )


def table_of_contents(book, include_unpublished=False):
    """The parts of ``book`` in order, each with its chapters in order.

    Three queries whatever the size of the book (private sections, parts, chapters). Returns a list of
    ``(part, [chapter, ...])`` pairs.
    """
    from .models import ChapterPage, PartPage

    parts = PartPage.objects.child_of(book)
    chapters = ChapterPage.objects.descendant_of(book)
    if not include_unpublished:
        private_q = parts.private_q()
        parts, chapters = public(parts, private_q), public(chapters, private_q)
    by_parent = {}
    for chapter in chapters.order_by("path"):
        by_parent.setdefault(chapter.path[: -ChapterPage.steplen], []).append(chapter)
    return [(part, by_parent.get(part.path, [])) for part in parts.order_by("path")]
