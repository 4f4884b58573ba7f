"""The board report's form: the period (both days included) and the format."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A board report covers at most about three years: longer is not a board paper, and the
# queries stay ranged.
MAX_DAYS = 3 * 366


def last_full_quarter(today: date) -> tuple[date, date]:
    """The last quarter that has ended before ``today``: the default period."""
    first_month = (today.month - 1) // 3 * 3 + 1
    this_quarter = date(today.year, first_month, 1)
    end = this_quarter - timedelta(days=1)
    start = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    return start, end


class BoardReportForm(forms.Form):
    """A GET form: the report is read, never stored, so its address can be bookmarked."""

    FORMATS = [("pdf", _("PDF")), ("xlsx", _("Excel (XLSX), one sheet per section"))]

    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day of the period."),
    )
    end = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day of the period (included)."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, initial="pdf", widget=forms.RadioSelect
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        start, end = last_full_quarter(self.today)
        self.fields["start"].initial = start
        self.fields["end"].initial = end

    def clean_end(self):
        end = self.cleaned_data["end"]
        if end > self.today:
            raise forms.ValidationError(_("The period cannot end after today."), code="future")
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error(
                    "end",
                    forms.ValidationError(
                        _("The period must end on or after its first day."), code="order"
                    ),
                )
            elif (end - start).days >= MAX_DAYS:
                self.add_error(
                    "start",
                    forms.ValidationError(
                        _("A board report covers at most three years."), code="too_long"
                    ),
                )
        return cleaned
