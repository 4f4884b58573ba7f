"""An innovation partnership followed through its phases (EU directive 2014/24 art. 31, LOU,
udbudsloven §§ 73–79): phases with a budget ceiling per partner, interim targets (delmål), gate
decisions per partner, and the instalments the region pays against met targets.

Everything hangs on an agreement of the partners app (``partners.Agreement``): its parties are
the partners, its project is what the partnership is about.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import TimeStampedModel
from core.concurrency import VersionField
from partners.models import Agreement, Milestone, PartnerOrganisation
from portfolio.models import ValueIndicator

from .querysets import (
    GateDecisionQuerySet,
    InstalmentQuerySet,
    InterimTargetQuerySet,
    PhaseBudgetQuerySet,
    PhaseQuerySet,
)


class Currency(models.TextChoices):
    SEK = "SEK", "SEK"
    DKK = "DKK", "DKK"
    EUR = "EUR", "EUR"


class Phase(TimeStampedModel):
    """One phase of the partnership (research, prototype, pilot, scale), in order."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="phases", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("planned start"))
    ends_on = models.DateField(_("planned end"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK
    )
    version = VersionField(_("version"))

    objects = PhaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="partnership_phase_number_unique",
                violation_error_message=_("The agreement already has a phase with this number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="partnership_phase_ends_after_start",
                violation_error_message=_("A phase cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="partnership_phase_number_positive",
                violation_error_message=_("Phases are numbered from 1."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def project(self):
        return self.agreement.project


class PhaseBudget(TimeStampedModel):
    """The most the region pays one partner in one phase (the sum of its instalments)."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("phase")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="phase_budgets",
        verbose_name=_("partner"),
    )
    ceiling = models.DecimalField(_("budget ceiling"), max_digits=14, decimal_places=2)

    objects = PhaseBudgetQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["phase", "organisation__name"]
        verbose_name = _("budget ceiling")
        verbose_name_plural = _("budget ceilings")
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "organisation"],
                name="partnership_budget_one_per_partner",
                violation_error_message=_("A partner has one budget ceiling per phase."),
            ),
            models.CheckConstraint(
                condition=Q(ceiling__gte=0),
                name="partnership_budget_ceiling_not_negative",
                violation_error_message=_("A budget ceiling cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.phase}: {self.organisation} {self.ceiling}"


class InterimTarget(TimeStampedModel):
    """An interim target (delmål) of a phase, agreed up front: what counts as met, by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="targets", verbose_name=_("phase")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interim_targets",
        verbose_name=_("partner"),
        help_text=_("Empty: a joint target of every partner."),
    )
    description = models.TextField(_("description"))
    due_on = models.DateField(_("due on"))
    performance_level = models.CharField(_("performance level that counts as met"), max_length=300)
    milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="interim_targets", verbose_name=_("milestones")
    )
    indicators = models.ManyToManyField(
        ValueIndicator,
        blank=True,
        related_name="interim_targets",
        verbose_name=_("value indicators"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    version = VersionField(_("version"))

    objects = InterimTargetQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["phase", "due_on", "pk"]
        verbose_name = _("interim target")
        verbose_name_plural = _("interim targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(assessed_at__isnull=False),
                name="partnership_target_assessed_has_date",
                violation_error_message=_("A target marked met or not met says when."),
            ),
        ]

    def __str__(self):
        return self.description[:80]


class GateDecision(models.Model):
    """The decision at the end of a phase. Final: a correction is a new decision that names the
    one it corrects (``corrects``), which then no longer counts."""

    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="gate_decisions", verbose_name=_("phase")
    )
    note = models.TextField(_("decision note"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"))
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("corrects"),
    )
    # What the leader saw when deciding, as it was then: the phase's targets (met or not) and
    # the measured value of their indicators. Stored, because both change later.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    objects = GateDecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "decided_at", "pk"]
        verbose_name = _("gate decision")
        verbose_name_plural = _("gate decisions")

    def __str__(self):
        return f"{self.phase} – {self.decided_at:%Y-%m-%d}"


class GateOutcome(models.Model):
    """One partner's outcome of a gate decision: continue (go, go with conditions) or end."""

    class Outcome(models.TextChoices):
        GO = "go", _("Go")
        GO_WITH_CONDITIONS = "conditions", _("Go with conditions")
        NO_GO = "no_go", _("No-go")

    decision = models.ForeignKey(
        GateDecision, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("decision")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="gate_outcomes",
        verbose_name=_("partner"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # For this partner only: never shown to the other partners.
    note = models.TextField(_("note for this partner"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "organisation__name"]
        verbose_name = _("gate outcome")
        verbose_name_plural = _("gate outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "organisation"],
                name="partnership_outcome_one_per_partner",
                violation_error_message=_("A decision has one outcome per partner."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="conditions") | ~Q(note=""),
                name="partnership_outcome_conditions_stated",
                violation_error_message=_("State the conditions."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_outcome_display()}"

    @property
    def continues(self) -> bool:
        return self.outcome != self.Outcome.NO_GO


class Instalment(TimeStampedModel):
    """A payment from the region to one partner, tied to an interim target.

    The sum of a partner's instalments in a phase that are not cancelled never exceeds the
    phase's budget ceiling for that partner: a deferred constraint trigger holds it on
    PostgreSQL (migration 0002); on SQLite, the development database, the service checks it.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DUE = "due", _("Due")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("phase")
    )
    target = models.ForeignKey(
        InterimTarget,
        on_delete=models.PROTECT,
        related_name="instalments",
        verbose_name=_("interim target"),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="instalments",
        verbose_name=_("partner"),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    planned_on = models.DateField(_("planned date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    version = VersionField(_("version"))

    objects = InstalmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["phase", "planned_on", "pk"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        indexes = [
            # The ceiling check and a partner's list: one partner's instalments in a phase.
            models.Index(fields=["phase", "organisation"], name="instalment_phase_partner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="partnership_instalment_amount_positive",
                violation_error_message=_("The amount must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "due", "cancelled"])
                | Q(approved_at__isnull=False),
                name="partnership_instalment_approved_has_date",
                violation_error_message=_("An approved instalment says when it was approved."),
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="partnership_instalment_paid_has_date",
                violation_error_message=_("A paid instalment says when it was paid."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.amount} ({self.planned_on})"


class ProgressSetting(TimeStampedModel):
    """How one project's progress rolls up (``partnership.progress``): the one mode a leader
    who steers the project chose. A project without a row rolls up by milestone weight."""

    class Mode(models.TextChoices):
        MILESTONES = "milestones", _("By milestone weight")
        TARGETS = "targets", _("By interim target")
        PHASE_BUDGET = "phase_budget", _("By phase budget")

    project = models.OneToOneField(
        "portfolio.Project",
        on_delete=models.CASCADE,
        related_name="progress_setting",
        verbose_name=_("project"),
    )
    mode = models.CharField(
        _("progress roll-up"), max_length=12, choices=Mode.choices, default=Mode.MILESTONES
    )
    version = VersionField(_("version"))

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["project"]
        verbose_name = _("progress roll-up")
        verbose_name_plural = _("progress roll-ups")

    def __str__(self):
        return f"{self.project}: {self.get_mode_display()}"


class MilestoneWeight(models.Model):
    """A milestone's weight in its project's roll-up by milestone weight; without a row, 1."""

    milestone = models.OneToOneField(
        Milestone,
        on_delete=models.CASCADE,
        related_name="rollup_weight",
        verbose_name=_("milestone"),
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone"]
        verbose_name = _("milestone weight")
        verbose_name_plural = _("milestone weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="partnership_milestone_weight_range",
                violation_error_message=_("A weight runs from 1 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.milestone}: {self.weight}"


# Modules of their own, imported here so Django finds their models: co-sharing of cost and gain
# by measured outcomes, and contributions planned and actual with their documents.
from .cosharing_models import (  # noqa: E402, F401
    SharingResult,
    SharingResultShare,
    SharingRule,
    SharingRuleParty,
)
from .models_contributions import Contribution, ContributionDocument  # noqa: E402, F401
