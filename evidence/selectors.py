"""Reads of adoptions across clinics: the adoptions and decisions of a project, one adoption
for its page (404 for what one may not read), the comparison of the indicators across clinics,
and a portfolio's counts by status (for the dashboard and the board report)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, User
from core.formatting import format_percent
from portfolio.models import Project, ValueIndicator

from .models import Adoption, ClinicMeasurement, ScaleDecision

ONE_DECIMAL = Decimal("0.1")


def adoption_for_user_or_404(user: User, pk: int) -> Adoption:
    """The adoption if ``user`` may read its project; 404 alike for "missing" and "not yours"."""
    return get_object_or_404(
        Adoption.objects.visible_to(user).select_related(
            "clinic", "project__lead_clinic__region", "project__owner"
        ),
        pk=pk,
    )


def adoptions_of_project(project: Project) -> list[Adoption]:
    return list(Adoption.objects.filter(project=project).select_related("clinic"))


def decisions_of_project(project: Project) -> list[ScaleDecision]:
    """Every decision, oldest first, with who took it, the clinics named and what it corrects."""
    return list(
        ScaleDecision.objects.filter(project=project)
        .select_related("decided_by", "corrected_by")
        .prefetch_related(Prefetch("clinics", queryset=Clinic.objects.order_by("name")))
        .order_by("decided_at", "pk")
    )


def adoption_clinic_choices(project: Project) -> QuerySet[Clinic]:
    """Clinics that may still be named: of the project's region, not the pilot, not adopting."""
    return (
        Clinic.objects.filter(region=project.lead_clinic.region_id)
        .exclude(pk=project.lead_clinic_id)
        .exclude(pk__in=Adoption.objects.filter(project=project).values("clinic"))
        .order_by("name")
    )


def measurable_indicators(project: Project) -> QuerySet[ValueIndicator]:
    return project.value_indicators.filter(retired_at__isnull=True).order_by("dimension", "name")


# --- The comparison ------------------------------------------------------------------------------
def progress_percent(*, baseline: Decimal, target: Decimal, latest: Decimal | None):
    """How far ``latest`` has come from the baseline towards the target, in per cent, one
    decimal. The sign of (target - baseline) carries the indicator's direction, so a "lower is
    better" indicator that falls shows positive progress. None before a measurement."""
    if latest is None or target == baseline:
        return None
    return ((latest - baseline) * 100 / (target - baseline)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


@dataclass
class ComparisonRow:
    clinic: str
    clinic_id: int
    is_pilot: bool
    status: str
    status_label: str
    baseline: Decimal
    target: Decimal
    latest: Decimal | None
    measured_on: object
    progress: Decimal | None
    on_target: bool

    @property
    def progress_display(self) -> str:
        """The progress as the reader's language writes a percentage (``60 %``, ``60%``)."""
        return "–" if self.progress is None else format_percent(self.progress)

    @property
    def bar_percent(self) -> Decimal:
        """The bar's length: progress kept between 0 and 100 (beyond the target is full)."""
        if self.progress is None:
            return Decimal(0)
        return min(max(self.progress, Decimal(0)), Decimal(100))


@dataclass
class IndicatorComparison:
    indicator: ValueIndicator
    rows: list[ComparisonRow] = field(default_factory=list)


def _row(indicator, *, clinic, is_pilot, status, status_label, latest, measured_on):
    if latest is None:
        on_target = False
    elif indicator.direction == ValueIndicator.Direction.LOWER:
        on_target = latest <= indicator.target
    else:
        on_target = latest >= indicator.target
    return ComparisonRow(
        clinic=clinic.name,
        clinic_id=clinic.pk,
        is_pilot=is_pilot,
        status=status,
        status_label=str(status_label),
        baseline=indicator.baseline,
        target=indicator.target,
        latest=latest,
        measured_on=measured_on,
        progress=progress_percent(
            baseline=indicator.baseline, target=indicator.target, latest=latest
        ),
        on_target=on_target,
    )


def project_comparison(project: Project) -> list[IndicatorComparison]:
    """Each indicator of the project that still counts, across the pilot (the lead clinic,
    its figures the project's own) and every adopting clinic (their newest measurement).
    Three queries whatever the number of clinics and measurements (``project.lead_clinic``
    comes with the project)."""
    indicators = list(measurable_indicators(project))
    adoptions = adoptions_of_project(project)
    newest = ClinicMeasurement.objects.filter(
        adoption=OuterRef("adoption"), indicator=OuterRef("indicator")
    ).order_by("-measured_on", "-pk")
    latest = {
        (row["adoption_id"], row["indicator_id"]): row
        for row in ClinicMeasurement.objects.filter(adoption__project=project)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .values("adoption_id", "indicator_id", "value", "measured_on")
    }
    comparisons = []
    for indicator in indicators:
        rows = [
            _row(
                indicator,
                clinic=project.lead_clinic,
                is_pilot=True,
                status="pilot",
                status_label=_("Pilot"),
                latest=indicator.latest_value,
                measured_on=indicator.latest_measured_on,
            )
        ]
        for adoption in adoptions:
            measured = latest.get((adoption.pk, indicator.pk), {})
            rows.append(
                _row(
                    indicator,
                    clinic=adoption.clinic,
                    is_pilot=False,
                    status=adoption.status,
                    status_label=adoption.get_status_display(),
                    latest=measured.get("value"),
                    measured_on=measured.get("measured_on"),
                )
            )
        comparisons.append(IndicatorComparison(indicator=indicator, rows=rows))
    return comparisons


def _text(value) -> str | None:
    return None if value is None else str(value)


def comparison_evidence(comparisons: list[IndicatorComparison]) -> dict:
    """The comparison as stored with a decision (JSON: numbers as text, dates ISO)."""
    return {
        "indicators": [
            {
                "id": c.indicator.pk,
                "name": c.indicator.name,
                "unit": c.indicator.unit,
                "direction": c.indicator.direction,
                "clinics": [
                    {
                        "clinic": row.clinic,
                        "clinic_id": row.clinic_id,
                        "status": row.status,
                        "baseline": _text(row.baseline),
                        "latest": _text(row.latest),
                        "measured_on": row.measured_on.isoformat() if row.measured_on else None,
                        "target": _text(row.target),
                        "progress": _text(row.progress),
                    }
                    for row in c.rows
                ],
            }
            for c in comparisons
        ]
    }


# --- For the dashboard and the board report ----------------------------------------------------
def adoptions_summary(user: User, projects_qs: QuerySet[Project]) -> dict[str, int]:
    """How many adoptions of ``projects_qs`` are planned, piloting, adopted, abandoned (every
    status present, zero if none), of what ``user`` may read. One query."""
    counts = (
        Adoption.objects.visible_to(user)
        .filter(project__in=projects_qs.values("pk"))
        .counts_by_status()
    )
    return {status: counts.get(status, 0) for status in Adoption.Status.values}
