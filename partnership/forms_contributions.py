"""Forms of the contributions pages: they validate input; the rules are the services'
(``partnership.services.contributions``), whose refusals go next to the field."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import DateInput, _helper

from .models_contributions import Contribution


def _amount(label, *, max_digits=14, decimal_places=2, required=True):
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=decimal_places,
        min_value=0,
        localize=True,
        required=required,
    )


class _AmountsForm(forms.Form):
    value = _amount(_("Value"))
    hours = _amount(_("Hours"), max_digits=9, decimal_places=1, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["value"].help_text = _("In %(currency)s.") % {"currency": currency}
        self.fields["hours"].help_text = _("For a contribution of hours only.")


class ContributionPlanForm(_AmountsForm):
    """One party's plan for one kind."""


class ContributionForm(_AmountsForm):
    """An actual contribution: kind, date, value (hours for hours), note, a document."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    contributed_on = forms.DateField(label=_("Date"), widget=DateInput())
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("Optional: a time sheet, an invoice or another record."),
    )
    field_order = ["kind", "contributed_on", "value", "hours", "note", "document"]

    def __init__(self, *args, with_document=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_document:
            del self.fields["document"]
        self.fields["contributed_on"].widget.attrs["max"] = date.today().isoformat()


class ContributionDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StateAidDateForm(forms.Form):
    """The date the state-aid account is drawn up for (``?on=YYYY-MM-DD``)."""

    on = forms.DateField(
        label=_("As of"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
