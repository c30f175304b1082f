"""The localization admin: the overview grid of every language and each language's queue.

Every view asks :func:`cms.permissions.can` before anything else; the
state of the items comes from :mod:`cms.localization.state` in a fixed
number of queries. Actions are POSTed to :func:`queue_action` and come back
to the queue, filters kept, with a message saying what happened.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.permissions import can, locale_direction, translatable_locales, translators_of

from .forms import AssignForm, POUploadForm, QueueFilterForm
from .models import Assignment
from .state import STATE_LABELS, STATE_RANK, find_items, item_states, locale_progress

# Rows on a page of the queue or of the grid: a book of thousands of items is
# read a page at a time, so that a page weighs the same whatever the book's size.
PAGE_SIZE = 50
PAGE_PARAM = "p"


def _paginate(request, rows, default_page=1):
    """The page of ``rows`` asked for by ``?p=``; a page number that is not one gives the nearest page."""
    paginator = WagtailPaginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAM) or default_page)
    return {
        "page_obj": page,
        "paginator": paginator,
        "elided_page_range": paginator.get_elided_page_range(page.number),
    }


def viewable_locales(user):
    """The target locales whose queue the user may open, in settings order."""
    return [locale for locale in translatable_locales() if can(user, "view_queue", locale.language_code)]


def _target_locale(language_code):
    for locale in translatable_locales():
        if locale.language_code == language_code:
            return locale
    raise Http404(_("No translation queue for this language."))


def _require(user, action, locale):
    if not can(user, action, locale.language_code):
        raise PermissionDenied


class GridView(WagtailAdminTemplateMixin, TemplateView):
    """Every item against every language the user may see, with each language's progress."""

    template_name = "localization/grid.html"
    page_title = gettext_lazy("Translations")
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        self.locales = viewable_locales(request.user)
        if not self.locales:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        states = item_states(self.locales, with_words=True)
        columns = [states[locale.pk] for locale in self.locales]
        rows = [(cells[0].item, list(cells)) for cells in zip(*columns, strict=True)] if columns else []
        progress = locale_progress(states, self.locales)
        pages = _paginate(self.request, rows, default_page=_first_page_with_work(rows))
        languages = language_summaries(self.locales, progress)
        context.update(pages)
        context.update(
            locales=languages,
            # Each cell with its language, named once for the page rather than once per cell.
            rows=[
                (item, list(zip(cells, languages, strict=True)))
                for item, cells in pages["page_obj"].object_list
            ],
            total=len(rows),
        )
        return context


def language_summaries(locales, progress):
    """What the grid and the dashboard show of each language: its name, direction, progress and queue."""
    return [
        {
            "locale": locale,
            "name": locale.get_display_name(),
            "progress": progress[locale.pk],
            "direction": locale_direction(locale.language_code),
            "queue_url": reverse("localization:queue", args=[locale.language_code]),
        }
        for locale in locales
    ]


def _first_page_with_work(rows):
    """The grid opens on the page of the first item, in reading order, that some language still has to do."""
    for index, (_item, cells) in enumerate(rows):
        if not all(cell.is_finished for cell in cells):
            return index // PAGE_SIZE + 1
    return 1


class QueueView(WagtailAdminTemplateMixin, TemplateView):
    """One language's work: every item, its state, who has it and by when, next thing to do first."""

    template_name = "localization/queue.html"
    header_icon = "list-ul"

    def dispatch(self, request, language_code, *args, **kwargs):
        self.locale = _target_locale(language_code)
        _require(request.user, "view_queue", self.locale)
        return super().dispatch(request, language_code, *args, **kwargs)

    def get_page_title(self):
        return _("Translation queue")

    def get_page_subtitle(self):
        return self.locale.get_display_name()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("localization:grid"), "label": _("Translations")},
            {"url": "", "label": self.locale.get_display_name()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        code = self.locale.language_code
        # Words are counted for the whole language: the progress bar is words translated of the book's.
        all_states = item_states([self.locale], with_words=True)[self.locale.pk]
        translators = list(translators_of(code))
        filters = QueueFilterForm(
            self.request.GET or None,
            parts=[state.item for state in all_states if state.item.kind == "part"],
            assignees=translators,
        )
        states = sorted(filters.filter(all_states, user), key=lambda state: state.sort_key())
        pages = _paginate(self.request, states)
        progress = locale_progress({self.locale.pk: all_states}, [self.locale])[self.locale.pk]
        rights = {action: can(user, action, code) for action in ("start", "sync", "assign")}
        rights.update(
            po_download=can(user, "po_download", code),
            po_upload=can(user, "po_upload", code),
        )
        context.update(
            locale=self.locale,
            direction=locale_direction(code),
            source_language=settings.BOOK_SOURCE_LANGUAGE,
            source_direction=locale_direction(settings.BOOK_SOURCE_LANGUAGE),
            states=pages["page_obj"].object_list,
            matching=len(states),
            total=len(all_states),
            progress=progress,
            out_of_date=progress.counts.get("source_changed", 0),
            state_counts=[
                (state, STATE_LABELS[state], progress.counts.get(state, 0)) for state in STATE_RANK
            ],
            filters=filters,
            assign_form=AssignForm(language_code=code, auto_id="id_assign_%s") if rights["assign"] else None,
            upload_form=POUploadForm() if rights["po_upload"] else None,
            rights=rights,
            has_translators=bool(translators),
            action_url=reverse("localization:action", args=[code]),
            po_download_url=reverse("localization:po_download", args=[code]),
            next_url=self.request.get_full_path(),
            **pages,
        )
        return context


def _back(request, locale):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("localization:queue", locale.language_code)


@require_POST
def queue_action(request, language_code):
    """Start, sync, assign or unassign the items selected in the queue (or one item's row button)."""
    locale = _target_locale(language_code)
    _require(request.user, "view_queue", locale)
    if "row_action" in request.POST:
        action, _sep, ref = request.POST["row_action"].partition("|")
        refs = [ref]
    else:
        action = request.POST.get("action", "")
        refs = request.POST.getlist("items")
    handlers = {
        "start": _start,
        "sync": _sync_selected,
        "sync_all": _sync_all,
        "assign": _assign,
        "unassign": _unassign,
    }
    handler = handlers.get(action)
    if handler is None:
        messages.error(request, _("Unknown action."))
        return _back(request, locale)
    required = {"sync_all": "sync", "unassign": "assign"}.get(action, action)
    _require(request.user, required, locale)
    if action != "sync_all":
        items = find_items(refs)
        if not items:
            messages.warning(request, _("Select at least one item first."))
            return _back(request, locale)
        handler(request, locale, items)
    else:
        handler(request, locale)
    return _back(request, locale)


def _start(request, locale, items):
    from wagtail_localize.operations import TranslationCreator

    states = {state.item.key: state for state in item_states([locale], items=items)[locale.pk]}
    started = []
    for item in items:
        if states[item.key].started:
            continue
        with transaction.atomic():
            TranslationCreator(request.user, [locale]).create_translations(item.source_instance())
        started.append(item.title)
    if started:
        messages.success(
            request,
            ngettext(
                "Translation started: %(items)s.",
                "Translations started: %(items)s.",
                len(started),
            )
            % {"items": ", ".join(started)},
        )
    else:
        messages.warning(request, _("The selected items were already started."))


def _report_sync(request, report):
    if report.synced:
        messages.success(
            request,
            ngettext(
                "%(count)d item synced: %(reopened)d translated segments changed in the source and are to "
                "translate again, %(kept)d translations kept, %(untranslated)d segments not translated yet.",
                "%(count)d items synced: %(reopened)d translated segments changed in the source and are to "
                "translate again, %(kept)d translations kept, %(untranslated)d segments not translated yet.",
                len(report.synced),
            )
            % {
                "count": len(report.synced),
                "reopened": report.reopened,
                "kept": report.kept,
                "untranslated": report.untranslated,
            },
        )
    for item in report.failed:
        messages.error(request, item.error)
    if not report.items:
        messages.info(request, _("Nothing to sync: every translation is up to date with its source."))


def _sync_selected(request, locale, items):
    from .sync import sync_locale

    _report_sync(request, sync_locale(locale, user=request.user, items=items))


def _sync_all(request, locale):
    from .sync import sync_locale

    _report_sync(request, sync_locale(locale, user=request.user))


def _assign(request, locale, items):
    from wagtail_localize.models import TranslatableObject

    from .emails import notify_assigned

    form = AssignForm(request.POST, language_code=locale.language_code)
    if not form.is_valid():
        for error in form.error_messages_list():
            messages.error(request, error)
        return
    assignee, due_date = form.cleaned_data["assignee"], form.cleaned_data["due_date"]
    for item in items:
        instance = item.source_instance()
        with transaction.atomic():
            translatable, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
            assignment, created = Assignment.objects.select_for_update().get_or_create(
                object=translatable,
                locale=locale,
                defaults={"assignee": assignee, "due_date": due_date, "assigned_by": request.user},
            )
            changed_hands = not created and assignment.assignee_id != assignee.pk
            if not created:
                assignment.assignee = assignee
                assignment.due_date = due_date
                assignment.assigned_by = request.user
                if changed_hands:
                    assignment.assigned_at = timezone.now()
                    assignment.source_change_notified_at = None
                assignment.save()
        if created or changed_hands:
            notify_assigned(assignment, item.title)
    messages.success(
        request,
        ngettext(
            "%(count)d item assigned to %(name)s.",
            "%(count)d items assigned to %(name)s.",
            len(items),
        )
        % {"count": len(items), "name": assignee.get_full_name() or assignee.get_username()},
    )


def _unassign(request, locale, items):
    deleted, _per_model = Assignment.objects.filter(
        locale=locale, object_id__in=[item.key for item in items]
    ).delete()
    messages.success(
        request,
        ngettext("%(count)d assignment removed.", "%(count)d assignments removed.", deleted)
        % {"count": deleted},
    )


@require_GET
def po_download(request, language_code):
    """Every translation of the language as a zip of PO files, or one item's PO file (``?item=<ref>``)."""
    from .po import export_item, export_locale, item_translation

    locale = _target_locale(language_code)
    _require(request.user, "po_download", locale)
    if "item" in request.GET:
        items = find_items([request.GET["item"]])
        translation = item_translation(locale, items[0].key) if items else None
        if translation is None:
            messages.error(request, _("This item has no translation into this language yet: start it first."))
            return redirect("localization:queue", locale.language_code)
        filename, content = export_item(translation)
        return FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=filename,
            content_type="text/x-gettext-translation",
        )
    buffer = io.BytesIO()
    export_locale(locale, buffer)
    buffer.seek(0)
    filename = f"translations-{locale.language_code}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type="application/zip")


@require_POST
def po_upload(request, language_code):
    """Apply a zip of PO files, or one item's PO file: all of it after checking everything, or nothing and the reasons."""
    from .po import ImportRejected, import_locale

    locale = _target_locale(language_code)
    _require(request.user, "po_upload", locale)
    form = POUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a zip of PO files, or one item's PO file, to upload."))
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return _back(request, locale)
    try:
        upload = form.cleaned_data["file"]
        report = import_locale(locale, upload, request.user, name=upload.name)
    except ImportRejected as rejected:
        messages.error(request, _("Nothing was imported; fix these problems and upload again:"))
        for problem in rejected.problems:
            messages.error(request, str(problem))
        return _back(request, locale)
    messages.success(request, _("PO files imported: %(summary)s") % {"summary": report.summary()})
    changed = [item.title for item in report.changed_items]
    if changed:
        messages.info(request, _("Changed: %(items)s.") % {"items": ", ".join(changed)})
    return _back(request, locale)


def _editable_translation(request, translation_id, action):
    """The translation, once the user may edit its target item and do ``action`` in its language."""
    from wagtail_localize.models import Translation
    from wagtail_localize.views.edit_translation import user_can_edit_instance

    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"), pk=translation_id
    )
    if not can(request.user, action, translation.target_locale.language_code):
        raise PermissionDenied
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    return translation


@require_GET
def translation_po_download(request, translation_id):
    """The translation editor's PO download: the item's PO file as the queue hands it out, fingerprints included."""
    from .po import export_item

    translation = _editable_translation(request, translation_id, "po_download")
    filename, content = export_item(translation)
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type="text/x-gettext-translation"
    )


@require_POST
def translation_po_upload(request, translation_id):
    """The translation editor's PO upload, checked like the queue's: this item's file, all of it or nothing."""
    from .po import ImportRejected, import_locale
    from .sync import NotATargetLocale

    translation = _editable_translation(request, translation_id, "po_upload")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("wagtailadmin_home")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose this item's PO file to upload."))
        return redirect(target)
    try:
        report = import_locale(
            translation.target_locale, upload, request.user, name=upload.name, translation=translation
        )
    except NotATargetLocale as error:
        messages.error(request, str(error))
        return redirect(target)
    except ImportRejected as rejected:
        messages.error(request, _("Nothing was imported; fix these problems and upload again:"))
        for problem in rejected.problems:
            messages.error(request, str(problem))
        return redirect(target)
    messages.success(request, _("PO file imported: %(summary)s") % {"summary": report.summary()})
    return redirect(target)
