"""Progress roll-up: milestone → interim target → phase → project → portfolio, in SQL.

Each project rolls up in exactly one mode, chosen by a leader who steers it
(``ProgressSetting.mode``; without a row: by milestone weight):

- **By milestone weight** (``milestones``): the project's milestones, each counted by its
  weight (``MilestoneWeight``, 1 without a row).
- **By interim target** (``targets``): the interim targets of the project's phases, each
  counted once. A target's progress is 100 when assessed met, 0 when assessed not met, and
  otherwise the weighted progress of its linked milestones.
- **By phase budget** (``phase_budget``): the phases, each counted by its budget (the sum of its
  partners' ceilings). A phase's progress is the mean of its targets'.

Missing progress is never 0 and never 100: a milestone nobody has reported on (still planned,
at 0 %), an open target none of whose milestones is reported, a phase with no such target (or,
by phase budget, no budget) is left out of the value and counted in ``missing``, beside
``total``, so the page says "3 of 10 milestones without progress". A value is None when nothing
counts. The portfolio figure is the mean of its projects' values, the projects without a value
counted the same way.

Everything here is query expressions (``Subquery`` per project or phase, aggregated by the
database); no Python loop walks the data. The numbers are computed over all of a project's
milestones and targets, whoever reads them: a percentage shows no partner's money.
"""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from partners.models import Milestone

from .models import InterimTarget, Phase, PhaseBudget, ProgressSetting

Mode = ProgressSetting.Mode
DEFAULT_MODE = Mode.MILESTONES

# A milestone with progress: anything but "planned at 0 %" (nobody has reported on it yet).
REPORTED = ~Q(status=Milestone.Status.PLANNED, progress=0)

UNIT_LABELS = {
    Mode.MILESTONES: _("milestones"),
    Mode.TARGETS: _("interim targets"),
    Mode.PHASE_BUDGET: _("phases"),
}


def _float(expression):
    return Cast(expression, FloatField())


def _weight(prefix: str = ""):
    return Coalesce(F(f"{prefix}rollup_weight__weight"), Value(1))


def _one(queryset, group: str, **aggregate) -> Subquery:
    """One aggregate of ``queryset`` grouped by ``group`` (filtered to one outer row)."""
    ((name, expression),) = aggregate.items()
    return Subquery(queryset.order_by().values(group).annotate(**{name: expression}).values(name))


def _count(queryset, group: str, condition: Q | None = None):
    return Coalesce(
        _one(queryset, group, n=Count("pk", filter=condition)),
        Value(0),
        output_field=IntegerField(),
    )


def _milestone_mean(milestones, group: str):
    """The weighted mean progress of the reported milestones of ``milestones``."""
    return _one(
        milestones,
        group,
        value=_float(Sum(_weight() * F("progress"), filter=REPORTED))
        / NullIf(_float(Sum(_weight(), filter=REPORTED)), Value(0.0)),
    )


def target_progress():
    """A target's progress (an expression over ``InterimTarget``): assessed, or its linked
    milestones'; None when neither."""
    linked = Milestone.objects.filter(interim_targets=OuterRef("pk"))
    return Case(
        When(status=InterimTarget.Status.MET, then=Value(100.0)),
        When(status=InterimTarget.Status.NOT_MET, then=Value(0.0)),
        default=_milestone_mean(linked, "interim_targets"),
        output_field=FloatField(),
    )


def _targets_of_phase():
    return InterimTarget.objects.filter(phase=OuterRef("pk")).annotate(p=target_progress())


def _phase_milestones():
    """The distinct milestones linked to the targets of the outer phase."""
    links = InterimTarget.milestones.through.objects.filter(
        interimtarget__phase=OuterRef(OuterRef("pk"))
    ).values("milestone")
    return Milestone.objects.filter(pk__in=links).annotate(g=Value(1))


def phase_budget():
    """The sum of the phase's ceilings, as a weight. A float on purpose: it only weighs a
    percentage and is never shown or added up as money (amounts stay Decimal elsewhere)."""
    return Coalesce(
        _one(PhaseBudget.objects.filter(phase=OuterRef("pk")), "phase", b=_float(Sum("ceiling"))),
        Value(0.0),
        output_field=FloatField(),
    )


def _mode_of(path: str):
    return Coalesce(F(f"{path}progress_setting__mode"), Value(DEFAULT_MODE))


def phases_with_progress(phases: QuerySet[Phase]) -> QuerySet[Phase]:
    """Annotate each phase with ``progress_value``, ``progress_missing``, ``progress_total``
    in its project's mode (by milestone weight: its targets' distinct linked milestones; else
    its targets)."""
    targets = _targets_of_phase()
    milestones = _phase_milestones()
    by_milestones = Q(progress_mode=Mode.MILESTONES)
    return phases.annotate(progress_mode=_mode_of("agreement__project__")).annotate(
        progress_value=Case(
            When(by_milestones, then=_milestone_mean(milestones, "g")),
            default=_one(targets, "phase", v=Avg("p")),
            output_field=FloatField(),
        ),
        progress_missing=Case(
            When(by_milestones, then=_count(milestones, "g", ~REPORTED)),
            default=_count(targets, "phase", Q(p__isnull=True)),
            output_field=IntegerField(),
        ),
        progress_total=Case(
            When(by_milestones, then=_count(milestones, "g")),
            default=_count(targets, "phase"),
            output_field=IntegerField(),
        ),
    )


def _project_phases():
    phases = Phase.objects.filter(agreement__project=OuterRef("pk"))
    return phases.annotate(
        p=_one(_targets_of_phase(), "phase", v=Avg("p")), b=phase_budget(), g=Value(1)
    )


def projects_with_progress(projects: QuerySet) -> QuerySet:
    """Annotate each project with ``progress_mode``, ``progress_value`` (0–100 or None),
    ``progress_missing`` and ``progress_total`` (milestones, targets or phases, by mode)."""
    milestones = Milestone.objects.filter(project=OuterRef("pk")).annotate(g=Value(1))
    targets = (
        InterimTarget.objects.filter(phase__agreement__project=OuterRef("pk"))
        .annotate(p=target_progress())
        .annotate(g=Value(1))
    )
    phases = _project_phases()
    counts = Q(p__isnull=False, b__gt=0)
    by = {mode: Q(progress_mode=mode) for mode in Mode.values}
    return projects.annotate(progress_mode=_mode_of("")).annotate(
        progress_value=Case(
            When(by[Mode.MILESTONES], then=_milestone_mean(milestones, "g")),
            When(by[Mode.TARGETS], then=_one(targets, "g", v=Avg("p"))),
            When(
                by[Mode.PHASE_BUDGET],
                then=_one(
                    phases,
                    "g",
                    v=Sum(F("p") * F("b"), filter=counts)
                    / NullIf(Sum("b", filter=counts), Value(0.0)),
                ),
            ),
            output_field=FloatField(),
        ),
        progress_missing=Case(
            When(by[Mode.MILESTONES], then=_count(milestones, "g", ~REPORTED)),
            When(by[Mode.TARGETS], then=_count(targets, "g", Q(p__isnull=True))),
            default=_count(phases, "g", ~counts),
            output_field=IntegerField(),
        ),
        progress_total=Case(
            When(by[Mode.MILESTONES], then=_count(milestones, "g")),
            When(by[Mode.TARGETS], then=_count(targets, "g")),
            default=_count(phases, "g"),
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class Progress:
    """A rolled-up value, what it is made of, and how many of those have no progress."""

    value: float | None
    missing: int
    total: int
    mode: str = DEFAULT_MODE

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(self.value)

    @property
    def counted(self) -> int:
        return self.total - self.missing

    @property
    def mode_label(self):
        return Mode(self.mode).label if self.mode else ""

    @property
    def unit_label(self):
        return UNIT_LABELS[Mode(self.mode)] if self.mode else _("projects")

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "value": None if self.value is None else round(self.value, 1),
            "missing": self.missing,
            "total": self.total,
        }


def progress_of(row) -> Progress:
    """The ``Progress`` of a row annotated by ``projects_with_progress`` or
    ``phases_with_progress``."""
    return Progress(
        value=row.progress_value,
        missing=row.progress_missing,
        total=row.progress_total,
        mode=row.progress_mode,
    )


def project_progress(project) -> Progress:
    """One project's roll-up: one query."""
    from portfolio.models import Project

    return progress_of(projects_with_progress(Project.objects.filter(pk=project.pk)).get())


def portfolio_progress(projects: QuerySet) -> Progress:
    """The mean of the projects' values; projects without a value are counted as missing
    (one query). ``mode`` is empty: each project keeps its own."""
    # Through the ids: the caller's set may be distinct or ordered, which the sum must not see.
    rows = projects_with_progress(projects.model.objects.filter(pk__in=projects.values("pk")))
    result = rows.aggregate(
        value=Avg("progress_value"),
        missing=Count("pk", filter=Q(progress_value__isnull=True)),
        total=Count("pk"),
    )
    return Progress(
        value=result["value"], missing=result["missing"], total=result["total"], mode=""
    )
