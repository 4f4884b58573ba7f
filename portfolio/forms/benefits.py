"""The benefits register's forms: a benefit, and a review of one."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Benefit, Currency, ValueIndicator
from portfolio.models_benefits import FOLLOW_UP_MONTHS_MAX

BENEFIT_FIELDS = (
    "title",
    "description",
    "dimension",
    "cash_releasing",
    "owner",
    "expected_yearly_amount",
    "currency",
    "follow_up_months",
    "next_review_on",
)


class BenefitForm(forms.Form):
    title = forms.CharField(
        label=_("Benefit"), max_length=200, help_text=_("E.g. fewer return visits.")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=ValueIndicator.Dimension.choices)
    cash_releasing = forms.BooleanField(
        label=_("Cash-releasing"),
        required=False,
        help_text=_("Frees money in a budget (not only time or quality)."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    expected_yearly_amount = forms.DecimalField(
        label=_("Expected value per year"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    follow_up_months = forms.IntegerField(
        label=_("Follow-up period (months)"),
        min_value=1,
        max_value=FOLLOW_UP_MONTHS_MAX,
        initial=12,
        help_text=_("Months after the project ends during which the benefit is measured."),
    )
    next_review_on = forms.DateField(
        label=_("Next review on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in BENEFIT_FIELDS}


def benefit_initial(benefit: Benefit) -> dict:
    initial = {name: getattr(benefit, name) for name in BENEFIT_FIELDS if name != "owner"}
    return {**initial, "owner": benefit.owner_id, "version": benefit.version}


class BenefitReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("Reviewed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    realised_yearly_amount = forms.DecimalField(
        label=_("Realised value per year"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=_("In the benefit's currency."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)
    next_review_on = forms.DateField(
        label=_("Next review on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when no further review is planned."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def service_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("reviewed_on", "realised_yearly_amount", "note", "next_review_on")
        }
