"""Forms of the innovation partnership pages. They validate input; the rules live in the
services (``partnership.services``), whose refusals are put next to the field
(``core.forms.add_service_errors``)."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from partners.forms import DateInput, VersionedForm, _helper
from partners.models import Milestone
from portfolio.models import ValueIndicator

from .models import GateOutcome, Instalment, InterimTarget, Phase, ProgressSetting
from .services.phases import ceiling_field
from .services.progress import weight_field


def _money_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal(0), localize=True
    )


class PhaseForm(forms.ModelForm):
    """A phase and one budget ceiling per partner of the agreement."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Phase
        fields = ["name", "starts_on", "ends_on", "currency"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, partners, budgets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.partners = partners
        budgets = budgets or {}
        for organisation in partners:
            field = _money_field(
                _("Budget ceiling for %(partner)s") % {"partner": organisation.name}
            )
            field.initial = budgets.get(organisation.pk)
            self.fields[ceiling_field(organisation.pk)] = field

    def ceilings(self) -> dict[int, Decimal]:
        return {o.pk: self.cleaned_data[ceiling_field(o.pk)] for o in self.partners}

    def phase_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InterimTargetForm(forms.ModelForm):
    class Meta:
        model = InterimTarget
        fields = [
            "description",
            "organisation",
            "due_on",
            "performance_level",
            "milestones",
            "indicators",
        ]
        widgets = {
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "milestones": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, phase, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        project_id = phase.agreement.project_id
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.filter(
            pk__in=[o.pk for o in partners]
        )
        self.fields["organisation"].empty_label = _("Joint target of every partner")
        self.fields["milestones"].queryset = Milestone.objects.filter(project=project_id)
        self.fields["indicators"].queryset = ValueIndicator.objects.filter(project=project_id)


class TargetAssessForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=InterimTarget.Status.choices)


class InstalmentForm(forms.ModelForm):
    class Meta:
        model = Instalment
        fields = ["organisation", "target", "amount", "planned_on"]
        widgets = {"planned_on": DateInput()}
        localized_fields = ["amount"]

    def __init__(self, *args, phase, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.filter(
            pk__in=[o.pk for o in partners]
        )
        self.fields["target"].queryset = InterimTarget.objects.filter(phase=phase)
        # The database's rule (a positive amount), next to the field rather than above the form.
        self.fields["amount"].validators.append(MinValueValidator(Decimal("0.01")))
        self.fields["amount"].widget.attrs["min"] = "0.01"


class InstalmentTransitionForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"), choices=Instalment.Status.choices)


class GateDecisionForm(forms.Form):
    """One outcome (and note) per partner still in the partnership, and the decision note."""

    note = forms.CharField(
        label=_("Decision note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided and why. Every party reads it."),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.partners = partners
        for organisation in partners:
            self.fields[f"outcome_{organisation.pk}"] = forms.ChoiceField(
                label=_("Outcome for %(partner)s") % {"partner": organisation.name},
                choices=GateOutcome.Outcome.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{organisation.pk}"] = forms.CharField(
                label=_("Conditions or note for %(partner)s") % {"partner": organisation.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Only this partner and the region read it."),
            )

    def outcomes(self):
        from .services.gates import PartnerOutcome

        return {
            o.pk: PartnerOutcome(
                outcome=self.cleaned_data[f"outcome_{o.pk}"],
                note=self.cleaned_data.get(f"note_{o.pk}", ""),
            )
            for o in self.partners
        }


class ProgressSettingForm(forms.Form):
    """How the project's progress rolls up, and a weight per milestone (1 to 100)."""

    mode = forms.ChoiceField(
        label=_("Progress roll-up"),
        choices=ProgressSetting.Mode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "By milestone weight: each milestone counts by its weight. By interim target: each "
            "target counts once (met 100 %, not met 0 %, open: its milestones). By phase "
            "budget: each phase counts by its budget ceilings."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, milestones, weights, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.milestones = milestones
        for milestone in milestones:
            self.fields[weight_field(milestone.pk)] = forms.IntegerField(
                label=_("Weight of %(milestone)s") % {"milestone": milestone.title},
                min_value=1,
                max_value=100,
                initial=weights.get(milestone.pk, 1),
            )

    def weights(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data[weight_field(m.pk)] for m in self.milestones}


class InterimTargetEditForm(InterimTargetForm):
    """The terms and links of a target not assessed yet; its partner stays (its instalments
    are tied to it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta(InterimTargetForm.Meta):
        fields = ["description", "due_on", "performance_level", "milestones", "indicators"]

    def __init__(self, *args, phase, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.helper = _helper()
        project_id = phase.agreement.project_id
        self.fields["milestones"].queryset = Milestone.objects.filter(project=project_id)
        self.fields["indicators"].queryset = ValueIndicator.objects.filter(project=project_id)
