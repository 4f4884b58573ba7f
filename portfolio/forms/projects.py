"""Forms of the project page (gate, status update, measurement) and the dashboard filter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import Project, Theme
from portfolio.selectors.dashboard import PortfolioFilters


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("New stage"),
        choices=Project.Stage.choices,
        help_text=_("Where the gate decision moves the project."),
    )
    note = forms.CharField(
        label=_("Gate decision note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why: kept in the stage history and sent to the idea's submitter."),
    )
    # The stage the leader saw when opening the page: a change made meanwhile is not overwritten.
    expected_stage = forms.ChoiceField(choices=Project.Stage.choices, widget=forms.HiddenInput)

    def __init__(self, *args, project, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_stage", project.stage)
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            choice for choice in Project.Stage.choices if choice[0] != project.stage
        ]


class StatusUpdateForm(forms.Form):
    health = forms.ChoiceField(
        label=_("Health"),
        choices=Project.Health.choices,
        help_text=_("How the project stands now; the dashboard shows it."),
    )
    text = forms.CharField(
        label=_("Status update"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, what comes next, what is in the way."),
    )


class MeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Value indicator"), queryset=None, help_text=_("What was measured.")
    )
    value = forms.DecimalField(
        label=_("Measured value"),
        max_digits=14,
        decimal_places=2,
        help_text=_("In the indicator's unit."),
    )
    measured_on = forms.DateField(
        label=_("Measured on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the value was measured."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Optional: how it was measured."),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class PortfolioFilterForm(forms.Form):
    """The dashboard's filters: a GET form, so a filtered view can be bookmarked and shared."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in a project's title or summary."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=None,
        empty_label=_("All"),
        help_text=_("Regions you lead."),
    )
    clinic = forms.ModelChoiceField(
        label=_("Clinic"),
        required=False,
        queryset=None,
        empty_label=_("All"),
        help_text=_("The project's lead clinic."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All")), *Project.Stage.choices],
        help_text=_("Where the project is."),
    )
    health = forms.ChoiceField(
        label=_("Health"),
        required=False,
        choices=[("", _("All")), *Project.Health.choices],
        help_text=_("On track, at risk or off track."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        empty_label=_("All"),
        help_text=_("The portfolio theme."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=None,
        empty_label=_("All"),
        help_text=_("A party to one of the project's agreements."),
    )

    def __init__(self, *args, regions, clinics, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["clinic"].queryset = clinics
        self.fields["partner"].queryset = partners

    def filters(self) -> PortfolioFilters:
        """The valid filters; a value that is not valid (e.g. a clinic one does not lead) is
        left out and reported next to its field."""
        if not self.is_bound:
            return PortfolioFilters()
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors and value not in (None, "")
        }
        if "q" in data:
            data["q"] = data["q"].strip()
        return PortfolioFilters(**data)
