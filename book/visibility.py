"""The one definition of "visible to the public", which the models and the selectors share.

A page is public when it is live, not expired, and neither it nor an ancestor
carries a view restriction. Kept apart from ``book.selectors``, which queries
the models, so that the models can use it without importing their own queries.
"""

from django.db.models import Q
from django.utils import timezone


def not_expired(now=None):
    """What has no expiry date, or one still to come (after ``now``, the present moment by default)."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def public(queryset, private_q=None, now=None):
    """Restrict a page queryset to what an anonymous reader may see (at ``now``, by default the present).

    Finding the private sections costs a query; callers filtering several
    querysets at once compute ``queryset.private_q()`` once and pass it in.
    """
    if private_q is None:
        private_q = queryset.private_q()
    return queryset.live().exclude(private_q).filter(not_expired(now))
