"""Forms of the adoption pages. They validate input; the rules live in the services
(``evidence.services``), whose refusals are put next to the field
(``core.forms.add_service_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import DateInput, VersionedForm, _helper

from .models import Adoption, ScaleDecision

DATE_FIELDS = ("planned_start_on", "started_on", "adopted_on", "abandoned_on")


class _AdoptionFields(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Adoption.Status.choices)
    planned_start_on = forms.DateField(label=_("Planned start"), required=False, widget=DateInput())
    started_on = forms.DateField(label=_("Started"), required=False, widget=DateInput())
    adopted_on = forms.DateField(label=_("Adopted on"), required=False, widget=DateInput())
    abandoned_on = forms.DateField(label=_("Abandoned on"), required=False, widget=DateInput())
    abandon_reason = forms.CharField(
        label=_("Reason for abandoning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the clinic abandons the solution."),
    )

    def adoption_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("status", *DATE_FIELDS, "abandon_reason")
        }


class AdoptionCreateForm(_AdoptionFields):
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=None)

    field_order = ["clinic", "status", *DATE_FIELDS, "abandon_reason"]

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["clinic"].queryset = clinics


class AdoptionEditForm(VersionedForm, _AdoptionFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ClinicMeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Value indicator"), queryset=None)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2, localize=True)
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["indicator"].queryset = indicators


class ScaleDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=ScaleDecision.Outcome.choices, widget=forms.RadioSelect
    )
    clinics = forms.ModelMultipleChoiceField(
        label=_("Clinics to scale up to"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each named clinic without an adoption gets a planned one."),
    )
    note = forms.CharField(
        label=_("Decision note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["clinics"].queryset = clinics
