"""Forms of the project page (gate, status update, measurement) and the dashboard filter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import GATE_CRITERIA, Project, stage_next_stages


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("New stage"),
        choices=Project.Stage.choices,
        help_text=_("A gate moves the project one stage forward, or stops it."),
    )
    # One box per criterion of each gate the project may pass, as "<stage>:<key>", grouped by
    # the gate; only the boxes of the chosen stage count (``criteria_met``).
    criteria = forms.MultipleChoiceField(
        label=_("Gate criteria"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every criterion of the chosen gate: all must be met."),
    )
    note = forms.CharField(
        label=_("Gate decision note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why: kept in the stage history and sent to the idea's submitter."),
    )
    # The project's version when the leader opened the page: a gate decided on a page that is
    # out of date is refused (the service checks it, also when it is missing: core.concurrency).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", project.version)
        super().__init__(*args, **kwargs)
        next_stages = stage_next_stages(project.stage)
        self.fields["to_stage"].choices = [
            choice for choice in Project.Stage.choices if choice[0] in next_stages
        ]
        self.fields["criteria"].choices = [
            (
                Project.Stage(stage).label,
                [(f"{stage}:{key}", label) for key, label in GATE_CRITERIA[stage]],
            )
            for stage in next_stages
        ]

    def clean(self):
        data = super().clean()
        prefix = f"{data.get('to_stage')}:"
        data["criteria_met"] = [
            value.removeprefix(prefix)
            for value in data.get("criteria", ())
            if value.startswith(prefix)
        ]
        return data


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
