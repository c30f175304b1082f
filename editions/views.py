"""The Editions screen of the admin: every book's files in every language, and "Build now".

Editors only (the ``book.view_edition`` and ``book.change_edition``
permissions of their role): an edition gathers the whole of a language's
book, and building one changes what every reader of that language downloads,
so it is the editorial direction's, not one language's translators'.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from book import selectors
from book.languages import in_text
from book.models import BookPage, ChapterPage, Edition

from . import tasks
from .builds import editions_of, public_books
from .formats import FORMATS

VIEW = "book.view_edition"
BUILD = "book.change_edition"


def state_label(edition):
    """What the screen says of an edition's state, with when and why."""
    if edition.state == Edition.State.CURRENT:
        return _("Current")
    if edition.state == Edition.State.BUILDING:
        return _("Building")
    if edition.state == Edition.State.QUEUED:
        return _("Queued: waiting for the worker")
    if edition.state == Edition.State.FAILED:
        return _("Failed: %(reason)s") % {"reason": edition.error}
    if edition.outdated_change == Edition.Change.NEW or not edition.outdated_since:
        return _("Not built yet")
    change = Edition.Change(edition.outdated_change).label if edition.outdated_change else ""
    return _("Outdated since %(date)s (%(subject)s %(change)s)") % {
        "date": edition.outdated_since.strftime("%Y-%m-%d %H:%M"),
        "subject": f"“{edition.outdated_subject}”" if edition.outdated_subject else "",
        "change": change,
    }


def completeness(books):
    """For each book, its public chapters and those of its source-language version."""
    source_counts = {}
    result = {}
    for book in books:
        result[book.pk] = selectors.published(ChapterPage).descendant_of(book).count()
    source_books = BookPage.objects.filter(
        translation_key__in={book.translation_key for book in books},
        locale__language_code=settings.LANGUAGE_CODE,
    )
    for source in source_books:
        source_counts[source.translation_key] = selectors.published(ChapterPage).descendant_of(source).count()
    return {
        book.pk: (result[book.pk], source_counts.get(book.translation_key, result[book.pk])) for book in books
    }


def rows_for(books):
    books = list(books)
    counts = completeness(books)
    existing = Edition.objects.filter(
        book_key__in={book.translation_key for book in books},
        locale_id__in={book.locale_id for book in books},
    )
    editions = {(e.book_key, e.locale_id, e.format): e for e in existing}
    rows = []
    for book in books:
        published, total = counts[book.pk]
        for name in FORMATS:
            edition = editions.get((book.translation_key, book.locale_id, name)) or Edition(
                book_key=book.translation_key,
                locale=book.locale,
                format=name,
                outdated_change=Edition.Change.NEW,
            )
            rows.append(
                {
                    "book": book,
                    "edition": edition,
                    "format": name.upper(),
                    "state": state_label(edition),
                    "chapters": _("%(published)d of %(total)d chapters")
                    % {"published": published, "total": total},
                    "download": edition.file.url if edition.file else "",
                    "build_url": reverse(
                        "editions:build", args=[book.translation_key, book.locale.language_code, name]
                    ),
                }
            )
    return rows


class EditionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "editions/index.html"
    page_title = gettext_lazy("Editions")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = rows_for(public_books())
        context["can_build"] = self.request.user.has_perm(BUILD)
        return context


@require_POST
def build_now(request, book_key, language_code, format_name):
    if not request.user.has_perm(BUILD):
        raise PermissionDenied
    if format_name not in FORMATS:
        raise Http404(format_name)
    book = get_object_or_404(public_books(book_key=book_key), locale__language_code=language_code)
    [edition] = editions_of([book], [format_name])
    tasks.request_build(edition)
    messages.success(
        request,
        _("The %(format)s edition in %(language)s will be built in the background by the worker.")
        % {"format": edition.format.upper(), "language": in_text(edition.locale.get_display_name())},
    )
    return redirect(reverse("editions:index"))
