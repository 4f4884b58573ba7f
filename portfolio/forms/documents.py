"""One document to add to a project (and, in the partners app, to an agreement)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import ALLOWED_EXTENSIONS
from portfolio.services.ideas import attachment_check


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
        help_text=_(
            "PDF, office documents (Word, Excel, PowerPoint, OpenDocument) or images, at most "
            "10 MB. Do not attach patient data."
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        attachment_check(uploaded)
        return uploaded
