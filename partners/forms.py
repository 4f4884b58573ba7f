"""Forms of the partners app. They validate input; the rules live in the services."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import Language, User
from clinics.selectors import leaders_of_clinic
from portfolio.models import Project

from .access import organisations_invitable_by, projects_steered_by
from .ledger import CENT
from .models import (
    Agreement,
    AgreementParty,
    IncomeEntry,
    IPItem,
    Milestone,
    PartnerOrganisation,
    Reinvestment,
)
from .querysets import project_parties
from .services.agreements import parties_validate
from .services.uploads import evidence_validate


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _set_min(field: forms.Field, minimum: Decimal) -> None:
    """A lower bound on a number field the model form has already built.

    Setting ``field.min_value`` afterwards has no effect (Django turns it into a validator
    when the field is built), so the validator is added here, with the browser's hint.
    """
    field.validators.append(MinValueValidator(minimum))
    field.widget.attrs["min"] = str(minimum)


class VersionedForm(forms.Form):
    """Carries the milestone version the page was loaded with (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:
            # A hidden field's error would not show: say it where people read.
            self.add_error(None, _("The page was out of date. Reload it and try again."))
        return cleaned


class MilestoneProgressForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Milestone.Status.choices,
        help_text=_("Marking it done sets progress to 100 %; a leader then confirms it."),
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        help_text=_("How far the milestone has come, from 0 to 100."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, what is next, what blocks you."),
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        # Formatted per request, so it is in the reader's language.
        self.fields["evidence"].help_text = _(
            "Optional: a PDF, image, text or office file of at most %(size)s MB."
        ) % {"size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            evidence_validate(evidence)
        return evidence or None


class MilestoneConfirmForm(VersionedForm):
    pass


class MilestoneReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tell the partner what is still missing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MilestoneForm(forms.ModelForm):
    """A leader plans a milestone: what, who is responsible, by when."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Milestone
        fields = ["title", "description", "responsible_party", "responsible_leader", "due_on"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": _("A joint, dated goal, e.g. “Pilot starts at the clinic”."),
            "description": _("What counts as done."),
            "due_on": _("The date the milestone is due."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        party = self.fields["responsible_party"]
        party.queryset = project_parties(project)
        party.empty_label = _("The region")
        leader = self.fields["responsible_leader"]
        leader.queryset = leaders_of_clinic(project.lead_clinic)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AgreementForm(forms.ModelForm):
    # The agreement's revision when the form was opened (optimistic lock, core.concurrency):
    # the service refuses a stale, missing or damaged one.
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agreement
        fields = ["title", "responsibilities", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("E.g. “Partnership agreement: digital dental triage”."),
            "responsibilities": _("What the parties are responsible for together."),
            "starts_on": _("First day of the agreement's term."),
            "ends_on": _("Last day of the term; empty if open-ended."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision


class AgreementConfirmForm(forms.Form):
    """Carries the agreement's ``revision`` as the page showed it (see agreement_confirm), and
    the signer's statement that they may sign for their party."""

    revision = forms.CharField(widget=forms.HiddenInput)
    may_sign = forms.BooleanField(
        label=_("I have read what my party commits to and I may sign for it"),
        error_messages={"required": _("Tick that you may sign for your party to confirm.")},
    )


class AgreementPartyForm(forms.ModelForm):
    class Meta:
        model = AgreementParty
        fields = [
            "organisation",
            "contribution_hours",
            "contribution_money",
            "contribution_knowledge",
            "contribution_in_kind",
            "risk_share",
            "value_share",
            "responsibilities",
        ]
        widgets = {
            "contribution_knowledge": forms.Textarea(attrs={"rows": 2}),
            "contribution_in_kind": forms.Textarea(attrs={"rows": 2}),
            "responsibilities": forms.Textarea(attrs={"rows": 2}),
            "risk_share": forms.NumberInput(attrs={"data-share": "risk", "step": "0.01"}),
            "value_share": forms.NumberInput(attrs={"data-share": "value", "step": "0.01"}),
        }
        help_texts = {
            "organisation": _("Empty: the region itself."),
            "contribution_hours": _("Working hours the party puts in."),
            "contribution_money": _("Money the party puts in."),
            "contribution_knowledge": _("Knowledge, data or expertise the party brings."),
            "contribution_in_kind": _("Equipment, premises, products ..."),
            "risk_share": _("Percent of the risk this party carries; all parties sum to 100."),
            "value_share": _("Percent of value and IP income; all parties sum to 100."),
            "responsibilities": _("What this party is responsible for."),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            # Only organisations of the leader's region (partners.access); a forged id of
            # another region's organisation is refused as an invalid choice.
            self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].empty_label = _("The region")
        self.fields["organisation"].required = False
        self.helper = _helper()
        self.helper.layout = Layout(
            "organisation",
            Row(
                Column("contribution_hours", css_class="col-md-6"),
                Column("contribution_money", css_class="col-md-6"),
            ),
            Row(
                Column("contribution_knowledge", css_class="col-md-6"),
                Column("contribution_in_kind", css_class="col-md-6"),
            ),
            Row(
                Column("risk_share", css_class="col-md-6"),
                Column("value_share", css_class="col-md-6"),
            ),
            "responsibilities",
        )
        self.helper.render_unmentioned_fields = True
        for name in ("risk_share", "value_share"):
            self.fields[name].validators += [MinValueValidator(0), MaxValueValidator(100)]
            self.fields[name].widget.attrs.update(min="0", max="100")
        for name in ("contribution_hours", "contribution_money"):
            _set_min(self.fields[name], Decimal(0))


class BaseAgreementPartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        parties = self.parties()
        try:
            parties_validate(parties)
        except forms.ValidationError as error:
            for message in error.messages:
                self._non_form_errors.append(message)
            # Show the sum error next to the share fields too.
            for form in self.forms:
                if form in self.deleted_forms or not form.has_changed() and form.empty_permitted:
                    continue
                for code, name in (("risk_sum", "risk_share"), ("value_sum", "value_share")):
                    if any(e.code == code for e in error.error_list):
                        form.add_error(name, _("Does not sum to 100 % with the others."))

    def parties(self) -> list[dict]:
        result = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            result.append(form.cleaned_data)
        return result


AgreementPartyFormSet = forms.formset_factory(
    AgreementPartyForm,
    formset=BaseAgreementPartyFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
    # A forged TOTAL_FORMS cannot make the server build thousands of forms.
    absolute_max=40,
)


class IPItemForm(forms.ModelForm):
    class Meta:
        model = IPItem
        fields = ["kind", "title", "reference", "filed_on", "description"]
        widgets = {"filed_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "kind": _("Invention disclosure, patent or licence."),
            "title": _("What the IP is about."),
            "reference": _("Application, patent or contract number."),
            "filed_on": _("When it was filed or signed."),
            "description": _("Optional notes."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="ip", **kwargs)
        self.helper = _helper()


class IncomeEntryForm(forms.ModelForm):
    class Meta:
        model = IncomeEntry
        fields = ["ip_item", "amount", "currency", "received_on", "description"]
        widgets = {"received_on": DateInput()}
        help_texts = {
            "ip_item": _("The IP the income comes from, if any."),
            "amount": _("Amount received; split between the parties by their value shares."),
            "currency": _("Three letters, e.g. SEK, DKK, EUR."),
            "received_on": _("The day the money arrived."),
            "description": _("E.g. licence fee 2026."),
        }

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, prefix="income", **kwargs)
        self.helper = _helper()
        self.fields["ip_item"].queryset = agreement.ip_items.all()
        _set_min(self.fields["amount"], CENT)

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class ReinvestmentForm(forms.ModelForm):
    class Meta:
        model = Reinvestment
        fields = ["income", "project", "amount", "note"]
        help_texts = {
            "income": _("The income entry whose region's share you reinvest."),
            "project": _("The project the money goes to."),
            "amount": _("At most what is left of the region's share."),
            "note": _("Optional: what the money pays for."),
        }

    def __init__(self, *args, user: User, agreement: Agreement, **kwargs):
        super().__init__(*args, prefix="reinvest", **kwargs)
        self.helper = _helper()
        self.fields["income"].queryset = agreement.income.all()
        _set_min(self.fields["amount"], CENT)
        # Income is reinvested in a project the leader steers, not one they only follow.
        self.fields["project"].queryset = projects_steered_by(user).order_by("title")


class PartnerInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_(
            "The invitation goes here. Invite someone again who has not set a password yet to "
            "send them a new link."
        ),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, help_text=_("The person's given name.")
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, help_text=_("The person's family name.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=PartnerOrganisation.objects.none(),
        help_text=_("Partners of your projects."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("The language of the e-mail and the pages."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["organisation"].queryset = organisations_invitable_by(
            access_for(user)
        ).order_by("name")


class PartnerMilestoneFilterForm(forms.Form):
    """The partner start page's milestone filters, all in the URL (a GET form).

    The project is an id in the URL (set by a project's "its milestones" link and shown as a
    removable filter), not a drop-down: an organisation can be party to a thousand projects,
    and the page's size must not grow with them.
    """

    DUE_CHOICES = [
        ("", _("Any due date")),
        ("overdue", _("Overdue")),
        ("soon", _("Due within 14 days")),
    ]

    q = forms.CharField(
        label=_("Search milestones"),
        required=False,
        max_length=200,
        help_text=_("Words in the milestone's or the project's title."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), *Milestone.Status.choices, ("all", _("Any status"))],
        help_text=_("Open: not done, of a running project."),
    )
    due = forms.ChoiceField(
        label=_("Due"), required=False, choices=DUE_CHOICES, help_text=_("When it falls due.")
    )
    project = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def value(self, name, default=None):
        """A filter's cleaned value, or ``default`` if it was missing or invalid."""
        if not self.is_bound or not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default
