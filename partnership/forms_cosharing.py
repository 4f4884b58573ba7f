"""The co-sharing rule's form: the indicator, floor and ceiling, optional money, and three
percentages per party of the agreement (the region first). It validates input; the rules
(sums, the indicator's project) are the service's, whose errors go next to the fields."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import _helper
from partners.models import PartnerOrganisation
from portfolio.models import ValueIndicator

from .models import SharingRule
from .services.cosharing import SIDES, PartyPercentages, share_field

SIDE_LABELS = {
    "gain_share_at_floor": _("%(party)s: share of the gain at the floor (%%)"),
    "gain_share_at_ceiling": _("%(party)s: share of the gain at the ceiling (%%)"),
    "cost_share_below_floor": _("%(party)s: share of the cost below the floor (%%)"),
}


def _percent_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        localize=True,
    )


def _amount_field(label, help_text) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        localize=True,
    )


class SharingRuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    indicator = forms.ModelChoiceField(
        label=_("Sharing indicator"), queryset=ValueIndicator.objects.none()
    )
    floor = forms.DecimalField(
        label=_("Floor of improvement"),
        help_text=_("Improvement from the baseline, in the indicator's unit."),
        max_digits=14,
        decimal_places=2,
        localize=True,
    )
    ceiling = forms.DecimalField(
        label=_("Ceiling of improvement"),
        help_text=_("Improvement from the baseline, in the indicator's unit."),
        max_digits=14,
        decimal_places=2,
        localize=True,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=SharingRule.Currency.choices, initial="SEK"
    )
    cost_amount = _amount_field(
        _("Cost to share"),
        _("Optional: the agreed cost of the solution, split by the cost shares."),
    )
    gain_per_unit = _amount_field(
        _("Gain per unit of improvement"),
        _("Optional: what one unit of improvement is worth, split by the gain shares."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agreement, party_ids, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.party_ids = party_ids
        indicators = ValueIndicator.objects.filter(
            project=agreement.project_id, retired_at__isnull=True
        ).order_by("name")
        if rule is None:
            indicators = indicators.exclude(sharing_rules__agreement=agreement)
        else:
            indicators = ValueIndicator.objects.filter(pk=rule.indicator_id)
            self.fields["indicator"].disabled = True
        self.fields["indicator"].queryset = indicators
        names = dict(
            PartnerOrganisation.objects.filter(pk__in=[p for p in party_ids if p]).values_list(
                "pk", "name"
            )
        )
        current = {}
        if rule is not None:
            current = {p.organisation_id: p for p in rule.parties.all()}
        for organisation_id in party_ids:
            party = names.get(organisation_id) or _("The region")
            for side in SIDES:
                field = _percent_field(SIDE_LABELS[side] % {"party": party})
                if organisation_id in current:
                    field.initial = getattr(current[organisation_id], side)
                self.fields[share_field(side, organisation_id)] = field

    def clean(self):
        cleaned = super().clean()
        floor, ceiling = cleaned.get("floor"), cleaned.get("ceiling")
        if floor is not None and ceiling is not None and floor >= ceiling:
            self.add_error("ceiling", _("The ceiling must be above the floor."))
        return cleaned

    def parties(self) -> dict[int | None, PartyPercentages]:
        return {
            organisation_id: PartyPercentages(
                **{side: self.cleaned_data[share_field(side, organisation_id)] for side in SIDES}
            )
            for organisation_id in self.party_ids
        }

    def rule_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("floor", "ceiling", "currency", "cost_amount", "gain_per_unit", "note")
        }
