"""The leader's project form (create and edit) and the value indicator form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Currency, Project, Theme, ValueIndicator
from portfolio.services.value_indicators import target_direction_error


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The need, the idea and the value sought, for everyone who reads it."),
    )
    lead_clinic = forms.ModelChoiceField(
        label=_("Lead clinic"),
        queryset=None,
        help_text=_("Its leaders steer the project."),
    )
    other_clinics = forms.ModelMultipleChoiceField(
        label=_("Other clinics"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Clinics of the region taking part: their leaders and staff read it."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_start_on = forms.DateField(
        label=_("Planned start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_end_on = forms.DateField(
        label=_("Planned end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    budget_amount = forms.DecimalField(
        label=_("Planned budget"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Optional: the amount planned for the whole project."),
    )
    budget_currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=[("", _("The region's currency")), *Currency.choices],
    )
    # The project's version when the page was opened (core.concurrency); empty when creating.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lead_clinics, other_clinics, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_clinic"].queryset = lead_clinics
        self.fields["other_clinics"].queryset = other_clinics
        self.fields["owner"].queryset = owners

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start_on"), data.get("planned_end_on")
        if start and end and end < start:
            self.add_error(
                "planned_end_on",
                forms.ValidationError(
                    _("The planned end cannot come before the planned start."),
                    code="end_before_start",
                ),
            )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "summary",
                "lead_clinic",
                "other_clinics",
                "owner",
                "themes",
                "planned_start_on",
                "planned_end_on",
                "budget_amount",
                "budget_currency",
            )
        }


def project_initial(project: Project) -> dict:
    return {
        "title": project.title,
        "summary": project.summary,
        "lead_clinic": project.lead_clinic_id,
        "other_clinics": [clinic.pk for clinic in project.other_clinics.all()],
        "owner": project.owner_id,
        "themes": [theme.pk for theme in project.themes.all()],
        "planned_start_on": project.planned_start_on,
        "planned_end_on": project.planned_end_on,
        "budget_amount": project.budget_amount,
        "budget_currency": project.budget_currency,
        "version": project.version,
    }


class ValueIndicatorForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=ValueIndicator.Dimension.choices)
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("What is measured, e.g. waiting time.")
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("E.g. minutes, %, SEK.")
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=ValueIndicator.Direction.choices)
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=14,
        decimal_places=2,
        help_text=_("The value before the project."),
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=2,
        help_text=_("The value the project aims for."),
    )
    frequency = forms.ChoiceField(
        label=_("Measured"),
        choices=ValueIndicator.Frequency.choices,
        initial=ValueIndicator.Frequency.QUARTERLY,
        help_text=_("How often the value is measured."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        error = target_direction_error(
            direction=data.get("direction"),
            baseline=data.get("baseline"),
            target=data.get("target"),
        )
        if error is not None:
            self.add_error("target", error)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "dimension",
                "name",
                "unit",
                "direction",
                "baseline",
                "target",
                "frequency",
            )
        }


def indicator_initial(indicator: ValueIndicator) -> dict:
    return {
        name: getattr(indicator, name)
        for name in (
            "dimension",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "frequency",
            "version",
        )
    }
