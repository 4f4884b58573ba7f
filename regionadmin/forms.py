"""The region administration forms. Field errors come from the form (required, e-mail) and
from the services (duplicate names, the region's rules) through ``add_service_errors``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, SupportContact
from partners.models import PartnerOrganisation


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class VersionedForm(forms.Form):
    # The version the person read: a later save by someone else refuses this form (409).
    version = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class ClinicForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=Clinic.Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea({"rows": 4})
    )
    innovation_clinic_since = forms.DateField(
        label=_("Innovation clinic since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the unit joined the innovation programme; empty if it has not."),
    )
    allotted_innovation_hours_per_week = forms.DecimalField(
        label=_("Allotted innovation hours per week"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=_(
            "Hours a week the clinic sets aside for its staff's innovation work; empty if none."
        ),
    )


class SupportContactForm(VersionedForm):
    area = forms.ChoiceField(label=_("Area"), choices=SupportContact.Area.choices)
    clinic = forms.ModelChoiceField(
        label=_("Clinic"),
        queryset=None,
        required=False,
        empty_label=_("The whole region"),
        help_text=_("Empty for help offered to the whole region."),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    how_to_reach = forms.CharField(
        label=_("How to reach"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Opening hours, drop-in, booking link ..."),
    )

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics


class ThemeForm(VersionedForm):
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=120, required=False)
    name_da = forms.CharField(label=_("Name in Danish"), max_length=120, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        # The name in the region's language is the theme's own: required, and said so.
        own = self.fields[f"name_{region.language}"]
        own.required = True
        own.error_messages["required"] = _("Give the theme's name in the region's language.")
        own.help_text = _("Required: shown wherever a language has no name of its own.")
        for language in ("sv", "da", "en"):
            if language != region.language:
                self.fields[f"name_{language}"].help_text = _(
                    "Empty: readers of this language see the name in the region's language."
                )


class LeaderScopeForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=None)
    clinic = forms.ModelChoiceField(
        label=_("Leads"),
        queryset=None,
        required=False,
        empty_label=_("The whole region"),
        help_text=_("One clinic, or the whole region."),
    )

    def __init__(self, *args, leaders, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["clinic"].queryset = clinics


class PartnerOrganisationForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerOrganisation.Kind.choices)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=40, required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea({"rows": 4})
    )
