"""Two editors on one page or snippet: a save from a form that someone else's save overtook is refused.

Wagtail writes into every edit form the revision it was loaded from (the hidden
``loaded_revision_id`` and ``loaded_revision_created_at``) and refuses the
editor page's own JSON saves (autosave) from a form that is out of date. A
plain POST of the same form (JavaScript off, autosave failing, or the "Save
draft", "Publish" and "Submit" buttons) it saves anyway, over the newer
version. The edit views below apply the rule to plain POSTs too:

* A plain POST is refused when, since its form was loaded, someone else saved
  a revision of the object. Nothing is written; the form comes back as after a
  validation error, with what the editor typed and a message naming who saved
  the newer version and when, and asking them to copy their changes and reload.
* Revisions the editor saved themselves since loading do not count. Autosave
  never updates the form's hidden fields, so after an autosave they still name
  the revision the form was loaded from: saving or publishing then goes through.
* A POST without ``loaded_revision_id`` is saved, as Wagtail saves a JSON one:
  it has nothing to compare with.
* The form sent back still says when it was loaded, so that saving or
  autosaving it again is refused as well, and the editor page keeps showing
  who saved the newer version, until the editor reloads.

So the "Continue" of Wagtail's "newer version" dialog no longer overwrites
either; one person's two tabs, though, are one editor. The views serve every
page type (edit and revert, through ``PageEditingViewSet``) and the snippets of
``cms.wagtail_hooks``; a form with validation errors shows those first.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.pages.edit import EditView as PageEditView
from wagtail.admin.views.pages.revisions import RevisionsRevertView as PageRevisionsRevertView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Revision
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.utils.timestamps import render_timestamp


def loaded_at(request, revisions):
    """When the posted edit form was loaded, or None when it does not say.

    Like Wagtail's editing sessions: the form's ``loaded_revision_created_at``,
    else the creation time of its ``loaded_revision_id``.
    """
    try:
        moment = datetime.fromisoformat(request.POST.get("loaded_revision_created_at", ""))
    except ValueError:
        moment = None
    if moment is not None and timezone.is_aware(moment):
        return moment
    loaded_id = request.POST.get("loaded_revision_id", "")
    if not loaded_id.isdigit():
        return None
    return revisions.filter(pk=loaded_id).values_list("created_at", flat=True).first()


class RefuseOvertakenSaves:
    """Refuse a plain POST of an edit form overtaken by someone else's save (see the module's docstring)."""

    @cached_property
    def revisions(self):
        latest = self.latest_revision
        return Revision.objects.filter(
            base_content_type_id=latest.base_content_type_id, object_id=latest.object_id
        )

    @cached_property
    def loaded_at(self):
        return loaded_at(self.request, self.revisions)

    @cached_property
    def overtaken_by(self):
        """The newest revision someone else saved since the posted form was loaded, if this save must be refused."""
        # Wagtail's own rule first: it refuses JSON saves itself, and lets a
        # form without loaded_revision_id, or with the latest one, through.
        if self.request.method != "POST" or self.expects_json_response or not self.is_out_of_date:
            return None
        newer = self.revisions.exclude(user=self.request.user)
        if self.loaded_at is not None:
            newer = newer.filter(created_at__gt=self.loaded_at)
        return newer.select_related("user").order_by("-created_at", "-pk").first()

    def overtaken_message(self):
        revision = self.overtaken_by
        return _(
            "%(user)s saved a newer version on %(time)s. Your changes have not been saved: "
            "copy them, reload the page and make them again in the newer version."
        ) % {
            "user": get_user_display_name(revision.user) if revision.user else _("Someone"),
            "time": render_timestamp(revision.created_at),
        }

    def get_context_data(self, **kwargs):
        if self.overtaken_by is not None and self.loaded_at is not None:
            # Shadows Wagtail's cached property, which gives the hidden field
            # and the editing sessions module the time the form was loaded at.
            self.latest_revision_created_at = self.loaded_at.isoformat()
        return super().get_context_data(**kwargs)


class PageOvertakenSavesMixin(RefuseOvertakenSaves):
    def form_valid(self, form):
        # Every action of the page editor (save, publish, submit, workflow
        # actions) saves from here, once the form is valid.
        if self.overtaken_by is None:
            return super().form_valid(form)
        # As Wagtail answers a save it cannot make (EditView.save_action).
        messages.error(self.request, self.overtaken_message())
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())


class EditPageView(PageOvertakenSavesMixin, PageEditView):
    pass


class RevertPageView(PageOvertakenSavesMixin, PageRevisionsRevertView):
    pass


class PageEditingViewSet(PageViewSet):
    """Wagtail's views for every page type, but for editing and reverting, which refuse overtaken saves."""

    edit_view_class = EditPageView
    revisions_revert_view_class = RevertPageView


class EditSnippetView(RefuseOvertakenSaves, SnippetEditView):
    """A snippet's edit view that refuses overtaken saves: like a validation error, for every action."""

    def is_valid(self, form):
        if not super().is_valid(form):
            return False
        if self.overtaken_by is None:
            return True
        self.produced_error_code = "invalid_revision"
        self.produced_error_message = self.overtaken_message()
        return False
