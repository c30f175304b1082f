"""Forms of the localization queue: its filters, assigning work and uploading a language's PO files."""

import contextlib
import re
from datetime import date, datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext
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


# A date typed with numbers only: 20/12/2026, 12-20-26, 20.12.2026.
NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})\s*$")
FORMAT_PARTS = {
    "%d": _("day"),
    "%j": _("day"),
    "%m": _("month"),
    "%n": _("month"),
    "%Y": _("year"),
    "%y": _("year"),
}


def date_input_formats():
    """The formats dates are typed in, in the active language (Django's, ISO 8601 included)."""
    return list(formats.get_format("DATE_INPUT_FORMATS"))


def picker_format():
    """The format the date picker writes: the first one of the active language (20/12/2026 in French)."""
    return date_input_formats()[0]


def format_description(fmt):
    """A format told in words, in the active language: "day/month/year", "année-mois-jour"."""
    return re.sub(r"%[a-zA-Z]", lambda match: str(FORMAT_PARTS.get(match.group(), match.group())), fmt)


def format_example(fmt):
    """The last day of this year in ``fmt``: its 31 shows where the day goes."""
    return date(date.today().year, 12, 31).strftime(fmt.replace("%n", "%m").replace("%j", "%d"))


class LocalizedDateField(forms.DateField):
    """A date typed as people of the interface's language type it, or chosen in Wagtail's date picker.

    The picker writes the language's own format (20/12/2026 in French,
    2026-12-20 in English), in which a field shows its value, and every format
    Django reads in that language is accepted (ISO 8601 in all of them). A date
    typed with numbers day first (20/12/2026) is accepted too in a language that
    writes the month first (English), when it cannot be read the other way; when
    it can be read both ways (05/06/2026), the user is asked to say which, never
    given a date they did not mean. The error says the expected format.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", AdminDateInput)
        super().__init__(**kwargs)

    def localize_widget(self):
        """Set the picker's format and the hint for the active language; call when the form is built."""
        fmt = picker_format()
        self.widget = AdminDateInput(format=fmt, attrs={"placeholder": format_description(fmt)})
        self.help_text = gettext("Format: %(format)s, e.g. %(example)s.") % {
            "format": format_description(fmt),
            "example": format_example(fmt),
        }

    def expected(self):
        fmt = picker_format()
        return {"format": format_description(fmt), "example": format_example(fmt)}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        readings = set()
        for fmt in date_input_formats():
            try:
                readings.add(datetime.strptime(text, fmt).date())
            except ValueError:
                continue
            break
        numeric = NUMERIC_DATE_RE.match(text)
        if numeric:
            _day, separator, _month, year = numeric.groups()
            day_first = f"%d{separator}%m{separator}{'%Y' if len(year) == 4 else '%y'}"
            with contextlib.suppress(ValueError):
                readings.add(datetime.strptime(text, day_first).date())
            if len(readings) > 1:
                raise forms.ValidationError(
                    gettext(
                        "%(value)s can be read as two different dates: type it as %(format)s "
                        "(e.g. %(example)s) or choose it in the calendar."
                    )
                    % {"value": text, **self.expected()},
                    code="ambiguous",
                )
        if not readings:
            raise forms.ValidationError(
                gettext("Enter a valid date in the format %(format)s, e.g. %(example)s.") % self.expected(),
                code="invalid",
            )
        return readings.pop()


class AssignForm(forms.Form):
    """Give the selected items to a translator of the language, optionally by a date."""

    assignee = TranslatorChoiceField(
        label=_("Translator"), queryset=None, empty_label=_("Choose a translator")
    )
    due_date = LocalizedDateField(label=_("Due date"), required=False)
    # The form shares the queue's selection form with Start and Sync: a browser check of the
    # translator would block those buttons. The view checks it, for "Assign" alone.
    use_required_attribute = False

    def __init__(self, *args, language_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = translators_of(language_code)
        self.fields["due_date"].localize_widget()

    def error_messages_list(self):
        """Every error of the form, each naming its field: "Due date: ..." """
        found = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else None
            for error in errors:
                found.append(f"{label}: {error}" if label else error)
        return found


class POUploadForm(forms.Form):
    """A zip of PO files for a whole language, or one item's PO file, as the downloads produce them."""

    file = forms.FileField(
        label=_("PO files"),
        help_text=_("The zip of the language, or one item's .po file."),
        widget=forms.FileInput(attrs={"accept": ".zip,.po"}),
    )
