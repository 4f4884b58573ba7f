"""The leader's challenge form: a clinic's or the whole region's need, with a closing date."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ChallengeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("The need in one line, as a question.")
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the clinic struggles with, and what a good answer would change."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=None, help_text=_("The region the challenge belongs to.")
    )
    clinic = forms.ModelChoiceField(
        label=_("Clinic"),
        queryset=None,
        required=False,
        empty_label=_("The whole region"),
        help_text=_("Empty: a challenge for the whole region (only if you lead all of it)."),
    )
    # Required here, not in the model: challenges posted before the rule keep no date.
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day to send ideas."),
        error_messages={"required": _("Choose the closing date: the last day to send ideas.")},
    )
    open_to_partners = forms.BooleanField(
        label=_("Open to partners"),
        required=False,
        help_text=_("Partner users may read it."),
    )
    # When the challenge was last saved: refuses to overwrite someone else's later edit.
    # (ISO text with microseconds: a DateTimeField would round them away.)
    version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, regions, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["clinic"].queryset = clinics
        if regions.count() == 1 and not self.is_bound:
            self.fields["region"].initial = regions.first()
