from django import forms
from django.utils.translation import gettext_lazy as _

from clinics.models import Language
from portfolio.models import DigestPreference


class DigestPreferenceForm(forms.ModelForm):
    """How often a leader gets the status digest, in which language, and whether an empty one."""

    language = forms.ChoiceField(
        label=_("Language of the digest"),
        choices=[("", _("The language I use in Partnerskap")), *Language.choices],
        required=False,
        help_text=_("Swedish, Danish or English."),
    )

    class Meta:
        model = DigestPreference
        fields = ["frequency", "language", "send_when_empty"]
        widgets = {"frequency": forms.RadioSelect}
