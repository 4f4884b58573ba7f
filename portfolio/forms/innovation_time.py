"""The form of "My innovation time": a project, a week, hours."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import INNOVATION_HOURS_MAX, INNOVATION_HOURS_STEP, validate_quarter_hours

# What a browser's week picker sends ("2026-W49"); a browser without one shows a text box, so
# a date in that week ("2026-12-03") is taken too.
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


class WeekField(forms.Field):
    """A week, as the date of its Monday."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Choose a week (for example 2026-W49)."),
    }

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value - datetime.timedelta(days=value.weekday())
        value = (value or "").strip()
        if not value:
            return None
        match = ISO_WEEK.match(value)
        try:
            if match:
                day = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            else:
                day = datetime.date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return day - datetime.timedelta(days=day.weekday())

    def prepare_value(self, value):
        return iso_week(value) if isinstance(value, datetime.date) else value


class InnovationTimeForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        help_text=_("A running project of your clinic, or one you work on."),
        error_messages={"invalid_choice": _("Choose one of your projects from the list.")},
    )
    week = WeekField(
        label=_("Week"),
        help_text=_("This week or last week."),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0"),
        max_value=INNOVATION_HOURS_MAX,
        # No digit limits of its own: the quarter-hour rule and the maximum say it better.
        validators=[validate_quarter_hours],
        help_text=_("From 0 to 40, in quarters of an hour (0.25, 0.5, 0.75)."),
        error_messages={
            "invalid": _("Enter the hours as a number, for example 1.5."),
            "min_value": _("Hours cannot be negative."),
            "max_value": _("At most 40 hours a week on one project."),
        },
    )
    # The row's version when the page was opened; blank for a week not recorded yet.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, projects, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        newest, oldest = max(weeks), min(weeks)
        self.fields["week"].widget = forms.TextInput(
            attrs={"type": "week", "min": iso_week(oldest), "max": iso_week(newest)}
        )
        self.fields["hours"].widget.attrs.update({"step": str(INNOVATION_HOURS_STEP)})
