"""The upload form: a file, refused with a form error whatever is wrong with it."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from book.manuscripts import ManuscriptError, read_manuscript

ACCEPT = ".docx,.md,.markdown,.zip"


class ManuscriptForm(forms.Form):
    file = forms.FileField(
        label=_("Manuscript"),
        help_text=_(
            "A Word document (.docx), a Markdown file (.md), or a .zip of a Markdown file with its images."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, language_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.language_code = language_code
        self.manuscript = None
        self.data_bytes = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BOOK_MANUSCRIPT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file weighs %(size)s MB, more than the %(limit)s MB accepted."),
                code="too_large",
                params={
                    "size": round(upload.size / 1024 / 1024, 1),
                    "limit": round(settings.BOOK_MANUSCRIPT_MAX_BYTES / 1024 / 1024, 1),
                },
            )
        data = upload.read()
        try:
            self.manuscript = read_manuscript(upload.name, data, self.language_code)
        except ManuscriptError as error:
            raise forms.ValidationError(error.message, code="refused") from error
        self.data_bytes = data
        return upload
