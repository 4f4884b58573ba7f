"""A solution piloted in one clinic and taken up by others: one adoption per (project, clinic),
the value indicators measured in each adopting clinic, and the scale-up decisions.

The project's lead clinic is the pilot: it has no adoption row, and its figures are the
project's own measurements (``portfolio.ValueMeasurement``, whose newest value the indicator
keeps). An adopting clinic's figures are ``ClinicMeasurement`` rows of the same indicators:
kept here rather than as a clinic on the portfolio's measurements, so that the project's
indicator (its latest value, the dashboard's progress) stays the pilot's, untouched by the
clinics that follow.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import Clinic, TimeStampedModel
from core.concurrency import VersionField
from portfolio.models import Project, ValueIndicator

from .querysets import AdoptionQuerySet, ClinicMeasurementQuerySet, ScaleDecisionQuerySet


class Adoption(TimeStampedModel):
    """One clinic taking up a project's solution."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PILOTING = "piloting", _("Piloting")
        ADOPTED = "adopted", _("Adopted")
        ABANDONED = "abandoned", _("Abandoned")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("project")
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("clinic")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    planned_start_on = models.DateField(_("planned start"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    abandoned_on = models.DateField(_("abandoned on"), null=True, blank=True)
    abandon_reason = models.TextField(_("reason for abandoning"), blank=True)
    version = VersionField(_("version"))

    objects = AdoptionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["project", "clinic__name"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "clinic"],
                name="evidence_adoption_one_per_clinic",
                violation_error_message=_("This clinic already has an adoption of the project."),
            ),
            models.CheckConstraint(
                condition=~Q(status="abandoned")
                | (~Q(abandon_reason="") & Q(abandoned_on__isnull=False)),
                name="evidence_adoption_abandoned_has_reason",
                violation_error_message=_("An abandoned adoption needs a reason and a date."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["piloting", "adopted"]) | Q(started_on__isnull=False),
                name="evidence_adoption_started_has_date",
                violation_error_message=_("A started adoption needs its start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_on__isnull=False),
                name="evidence_adoption_adopted_has_date",
                violation_error_message=_("An adopted solution needs the date it was adopted."),
            ),
            models.CheckConstraint(
                condition=Q(adopted_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(adopted_on__gte=models.F("started_on")),
                name="evidence_adoption_adopted_after_start",
                violation_error_message=_("An adoption cannot be adopted before it started."),
            ),
            models.CheckConstraint(
                condition=Q(abandoned_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(abandoned_on__gte=models.F("started_on")),
                name="evidence_adoption_abandoned_after_start",
                violation_error_message=_("An adoption cannot be abandoned before it started."),
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.clinic}"

    @property
    def is_measurable(self) -> bool:
        return self.status in (self.Status.PILOTING, self.Status.ADOPTED)


class ClinicMeasurement(TimeStampedModel):
    """A value indicator of the project measured in one adopting clinic."""

    adoption = models.ForeignKey(
        Adoption, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("adoption")
    )
    indicator = models.ForeignKey(
        ValueIndicator,
        on_delete=models.CASCADE,
        related_name="clinic_measurements",
        verbose_name=_("value indicator"),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ClinicMeasurementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-measured_on", "-pk"]
        verbose_name = _("clinic measurement")
        verbose_name_plural = _("clinic measurements")
        indexes = [
            # The comparison's newest measurement per adoption and indicator.
            models.Index(
                fields=["adoption", "indicator", "-measured_on"], name="evidence_measure_latest_idx"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class ScaleDecision(models.Model):
    """Scale up to named clinics, continue piloting or phase out, and the evidence it rested
    on. Final like a gate decision: a correction is a new decision naming the one it corrects
    (``corrects``), which then no longer counts."""

    class Outcome(models.TextChoices):
        SCALE_UP = "scale_up", _("Scale up to named clinics")
        CONTINUE = "continue", _("Continue piloting")
        PHASE_OUT = "phase_out", _("Phase out")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="scale_decisions", verbose_name=_("project")
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    clinics = models.ManyToManyField(
        Clinic, blank=True, related_name="+", verbose_name=_("clinics to scale up to")
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
    # The comparison as the leader saw it when deciding: stored, because figures change later.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    objects = ScaleDecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "decided_at", "pk"]
        verbose_name = _("scale-up decision")
        verbose_name_plural = _("scale-up decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(note=""),
                name="evidence_decision_has_note",
                violation_error_message=_("Say what was decided and why."),
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.get_outcome_display()}"
