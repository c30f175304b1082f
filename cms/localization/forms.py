"""Forms of the localization queue: its filters, assigning work and uploading a language's PO files."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from cms.permissions import translators_of

from .state import STATE_LABELS, STATE_RANK

UNASSIGNED = "none"


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string."""

    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    part = forms.ChoiceField(label=_("Part"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    # One item, as the overview grid and the dashboard link to it.
    item = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, parts=(), assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state"))] + [
            (state, STATE_LABELS[state]) for state in STATE_RANK
        ]
        self.fields["part"].choices = [("", _("Every part"))] + [
            (str(item.key), item.title) for item in parts
        ]
        self.fields["assignee"].choices = [("", _("Anyone")), (UNASSIGNED, _("Nobody"))] + [
            (str(user.pk), _display_name(user)) for user in assignees
        ]

    def filter(self, states, user):
        """The states that pass the filters; an invalid filter is ignored rather than failing the queue."""
        if not self.is_valid():
            return states
        data = self.cleaned_data
        if data["item"]:
            states = [state for state in states if state.item.ref == data["item"]]
        if data["mine"]:
            states = [
                state for state in states if state.assignee is not None and state.assignee.pk == user.pk
            ]
        if data["state"]:
            states = [state for state in states if state.state == data["state"]]
        if data["part"]:
            states = [state for state in states if str(state.item.part_key) == data["part"]]
        if data["assignee"] == UNASSIGNED:
            states = [state for state in states if state.assignment is None]
        elif data["assignee"]:
            states = [
                state
                for state in states
                if state.assignee is not None and str(state.assignee.pk) == data["assignee"]
            ]
        return states

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.values())


def _display_name(user):
    return user.get_full_name() or user.get_username()


class TranslatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _display_name(obj)


class AssignForm(forms.Form):
    """Give the selected items to a translator of the language, optionally by a date."""

    assignee = TranslatorChoiceField(
        label=_("Translator"), queryset=None, empty_label=_("Choose a translator")
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=AdminDateInput)

    def __init__(self, *args, language_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = translators_of(language_code)


class POUploadForm(forms.Form):
    """A zip of PO files for a whole language, or one item's PO file, as the downloads produce them."""

    file = forms.FileField(
        label=_("PO files"),
        help_text=_("The zip of the language, or one item's .po file."),
        widget=forms.FileInput(attrs={"accept": ".zip,.po"}),
    )
