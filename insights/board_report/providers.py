"""The board report's built-in sections (registered in ``InsightsConfig.ready()``).

Each reads through the dashboard's scope (``ReportPeriod.projects`` and ``.ideas``: the
projects and ideas the leader's dashboard counts) and the same definitions as the dashboard:
a project's health counts while it is active, an overdue milestone is
``milestone_overdue_q``, a value indicator is on target by its direction. What happened
"in the period" is counted by its date (submitted, first response, started, ended, measured,
decided, planned, paid); what is a state (health, stage, risks) is as of today, and the
section says so. Every section costs a fixed number of queries whatever the data.
"""

from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _

from clinics.access import clinics_led_by
from clinics.models import Clinic
from partners.models import Milestone
from partners.querysets import milestone_overdue_q, milestone_pending_q
from partnership.models import GateOutcome, Instalment, InterimTarget
from portfolio.models import Project, ValueIndicator, ValueMeasurement
from portfolio.selectors.innovation_time import innovation_time_visible_to, row_clinic

from .charts import bar_chart
from .sections import ROW_LIMIT, Figure, Money, ReportPeriod, Section

# --- the shared counts (one query each, read once per report) --------------------------------


def _idea_counts(period: ReportPeriod) -> dict:
    return period.memo(
        "ideas",
        lambda: period.ideas.aggregate(
            received=Count(
                "pk",
                filter=Q(submitted_at__gte=period.start_at, submitted_at__lt=period.end_before),
            ),
            reviewed=Count(
                "pk",
                filter=Q(
                    first_response_at__gte=period.start_at,
                    first_response_at__lt=period.end_before,
                ),
            ),
        ),
    )


def _project_counts(period: ReportPeriod) -> dict:
    active = Q(stage__in=Project.ACTIVE_STAGES)
    in_period = {"started_on__gte": period.start, "started_on__lte": period.end}
    return period.memo(
        "projects",
        lambda: period.projects.aggregate(
            total=Count("pk"),
            active=Count("pk", filter=active),
            started=Count("pk", filter=Q(**in_period)),
            completed=Count(
                "pk",
                filter=Q(
                    stage=Project.Stage.COMPLETED,
                    ended_on__gte=period.start,
                    ended_on__lte=period.end,
                ),
            ),
            **{f"stage_{value}": Count("pk", filter=Q(stage=value)) for value in Project.Stage},
            **{
                f"health_{value}": Count("pk", filter=active & Q(health=value))
                for value in Project.Health
            },
        ),
    )


def _value_rows(period: ReportPeriod) -> list[dict]:
    """Per dimension: indicators, those measured in the period, and those on target by the
    last measurement up to the period's end (retired indicators do not count)."""

    def compute():
        measurements = ValueMeasurement.objects.filter(indicator=OuterRef("pk"))
        value_at_end = Subquery(
            measurements.filter(measured_on__lte=period.end)
            .order_by("-measured_on", "-pk")
            .values("value")[:1]
        )
        reached = Q(direction=ValueIndicator.Direction.HIGHER, value_at_end__gte=F("target")) | Q(
            direction=ValueIndicator.Direction.LOWER, value_at_end__lte=F("target")
        )
        rows = {
            row["dimension"]: row
            for row in ValueIndicator.objects.filter(
                project__in=period.projects.values("pk"), retired_at__isnull=True
            )
            .annotate(
                value_at_end=value_at_end,
                measured_in_period=Exists(
                    measurements.filter(measured_on__gte=period.start, measured_on__lte=period.end)
                ),
            )
            .values("dimension")
            .annotate(
                indicators=Count("pk"),
                measured=Count("pk", filter=Q(measured_in_period=True)),
                reached=Count("pk", filter=Q(value_at_end__isnull=False) & reached),
            )
            .order_by()
        }
        return [
            {
                "label": label,
                **{
                    key: rows.get(value, {}).get(key, 0)
                    for key in ("indicators", "measured", "reached")
                },
            }
            for value, label in ValueIndicator.Dimension.choices
        ]

    return period.memo("value", compute)


# --- the sections ------------------------------------------------------------------------------


def headline_section(period: ReportPeriod) -> Section:
    ideas, projects = _idea_counts(period), _project_counts(period)
    value_rows = _value_rows(period)
    return Section(
        key="headline",
        title=_("Headline figures"),
        figures=[
            Figure(_("Ideas received"), ideas["received"]),
            Figure(_("Projects started"), projects["started"]),
            Figure(_("Projects completed"), projects["completed"]),
            Figure(_("Active projects today"), projects["active"]),
            Figure(
                _("Value indicators on target at the end of the period"),
                sum(row["reached"] for row in value_rows),
            ),
        ],
        columns=[_("Stage"), _("Projects today")],
        rows=[[label, projects[f"stage_{value}"]] for value, label in Project.Stage.choices],
    )


def funnel_section(period: ReportPeriod) -> Section:
    ideas, projects = _idea_counts(period), _project_counts(period)
    steps = [
        (_("Ideas received"), ideas["received"]),
        (_("Ideas reviewed"), ideas["reviewed"]),
        (_("Projects started"), projects["started"]),
        (_("Projects completed"), projects["completed"]),
    ]
    return Section(
        key="funnel",
        title=_("Funnel"),
        columns=[_("Step"), _("Count in the period")],
        rows=[[label, count] for label, count in steps],
        chart=bar_chart(_("Funnel"), [(label, count, "default") for label, count in steps]),
        note=_(
            "Each step counts what happened in the period: ideas submitted, ideas given a "
            "first response, projects started and projects completed."
        ),
    )


def health_section(period: ReportPeriod) -> Section:
    projects = _project_counts(period)
    health = [
        (value, label, projects[f"health_{value}"]) for value, label in Project.Health.choices
    ]
    return Section(
        key="health",
        title=_("Health of the active projects"),
        columns=[_("Health"), _("Active projects today")],
        rows=[[label, count] for _value, label, count in health],
        # The bars in the health's own colours (on track green, at risk amber, off track red).
        chart=bar_chart(
            _("Health of the active projects"),
            [(label, count, value) for value, label, count in health],
        ),
        note=_("As the dashboard counts it: the active projects, today."),
    )


def value_section(period: ReportPeriod) -> Section:
    rows = _value_rows(period)
    return Section(
        key="value",
        title=_("Value realised per dimension"),
        figures=[
            Figure(_("Value indicators"), sum(row["indicators"] for row in rows)),
            Figure(_("Measured in the period"), sum(row["measured"] for row in rows)),
            Figure(_("On target at the end of the period"), sum(row["reached"] for row in rows)),
        ],
        columns=[
            _("Dimension"),
            _("Value indicators"),
            _("Measured in the period"),
            _("On target at the end of the period"),
        ],
        rows=[[row["label"], row["indicators"], row["measured"], row["reached"]] for row in rows],
        chart=bar_chart(
            _("On target at the end of the period"),
            [(row["label"], row["reached"], "on_track") for row in rows],
        ),
    )


def _mondays_between(start, end) -> int:
    first_monday = start.toordinal() + (7 - start.weekday()) % 7
    return max(0, (end.toordinal() - first_monday) // 7 + 1)


def innovation_time_section(period: ReportPeriod) -> Section:
    """Allotted hours (a clinic's weekly allotment × the weeks starting in the period) against
    the hours recorded for those weeks, per clinic the leader leads: two queries."""
    recorded = dict(
        innovation_time_visible_to(period.user)
        .filter(week__gte=period.start, week__lte=period.end)
        .annotate(row_clinic_id=row_clinic())
        .values_list("row_clinic_id")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    clinics = (
        Clinic.objects.filter(pk__in=clinics_led_by(period.user).values("pk"))
        .filter(Q(allotted_innovation_hours_per_week__isnull=False) | Q(pk__in=list(recorded)))
        .order_by("name", "pk")
    )
    weeks = _mondays_between(period.start, period.end)
    rows = []
    total_allotted = total_recorded = Decimal(0)
    for clinic in clinics:
        weekly = clinic.allotted_innovation_hours_per_week
        allotted = weekly * weeks if weekly is not None else None
        hours = recorded.get(clinic.pk) or Decimal(0)
        total_allotted += allotted or 0
        total_recorded += hours
        share = round(hours * 100 / allotted) if allotted else ""
        rows.append([clinic.name, allotted if allotted is not None else "", hours, share])
    return Section(
        key="innovation_time",
        title=_("Innovation time"),
        figures=[
            Figure(_("Allotted hours"), total_allotted),
            Figure(_("Recorded hours"), total_recorded),
        ],
        columns=[_("Clinic"), _("Allotted hours"), _("Recorded hours"), _("Share of allotted")],
        rows=rows,
    )


def risks_section(period: ReportPeriod) -> Section:
    """The projects off track or at risk and the milestones blocked or overdue, today: counted
    in full, the first ROW_LIMIT of each listed."""
    today = period.today
    projects = _project_counts(period)
    open_milestones = Milestone.objects.filter(project__in=period.projects.values("pk")).filter(
        milestone_pending_q()
    )
    troubled = Q(status=Milestone.Status.BLOCKED) | milestone_overdue_q(today)
    milestone_counts = open_milestones.aggregate(
        overdue=Count("pk", filter=milestone_overdue_q(today)),
        blocked=Count("pk", filter=Q(status=Milestone.Status.BLOCKED)),
    )
    risky = list(
        period.projects.filter(
            stage__in=Project.ACTIVE_STAGES,
            health__in=(Project.Health.OFF_TRACK, Project.Health.AT_RISK),
        )
        .select_related("lead_clinic")
        .order_by("-health", "title", "pk")[:ROW_LIMIT]
    )
    milestones = list(
        open_milestones.filter(troubled)
        .select_related("project")
        .order_by("due_on", "pk")[:ROW_LIMIT]
    )
    rows = [
        [_("Project"), project.title, project.lead_clinic.name, None, project.get_health_display()]
        for project in risky
    ] + [
        [
            _("Milestone"),
            f"{milestone.project.title}: {milestone.title}",
            "",
            milestone.due_on,
            milestone.get_status_display()
            if milestone.status == Milestone.Status.BLOCKED
            else _("Overdue"),
        ]
        for milestone in milestones
    ]
    return Section(
        key="risks",
        title=_("Top risks"),
        figures=[
            Figure(_("Projects off track"), projects[f"health_{Project.Health.OFF_TRACK}"]),
            Figure(_("Projects at risk"), projects[f"health_{Project.Health.AT_RISK}"]),
            Figure(_("Overdue milestones"), milestone_counts["overdue"]),
            Figure(_("Blocked milestones"), milestone_counts["blocked"]),
        ],
        columns=[_("Kind"), _("What"), _("Lead clinic"), _("Due on"), _("Status")],
        rows=rows,
        note=_("Today; at most %(count)s projects and %(count)s milestones are listed.")
        % {"count": ROW_LIMIT},
    )


def partnership_section(period: ReportPeriod) -> Section | None:
    """Innovation partnerships of the leader's projects in the period: gate decisions (in
    force), interim targets due, instalments planned and paid, per currency: three queries."""
    of_projects = {"phase__agreement__project__in": period.projects.values("pk")}
    outcomes = GateOutcome.objects.filter(
        decision__phase__agreement__project__in=period.projects.values("pk"),
        decision__corrected_by__isnull=True,
        decision__decided_at__gte=period.start_at,
        decision__decided_at__lt=period.end_before,
    ).aggregate(
        decisions=Count("decision", distinct=True),
        **{value: Count("pk", filter=Q(outcome=value)) for value in GateOutcome.Outcome},
    )
    targets = InterimTarget.objects.filter(
        **of_projects, due_on__gte=period.start, due_on__lte=period.end
    ).aggregate(
        due=Count("pk"),
        met=Count("pk", filter=Q(status=InterimTarget.Status.MET)),
        not_met=Count("pk", filter=Q(status=InterimTarget.Status.NOT_MET)),
    )
    money = (
        Instalment.objects.filter(**of_projects)
        .not_cancelled()
        .values("phase__currency")
        .annotate(
            planned=Sum(
                "amount", filter=Q(planned_on__gte=period.start, planned_on__lte=period.end)
            ),
            paid=Sum("amount", filter=Q(paid_on__gte=period.start, paid_on__lte=period.end)),
        )
        .order_by("phase__currency")
    )
    rows = [
        [
            Money(row["planned"] or Decimal(0), row["phase__currency"]),
            Money(row["paid"] or Decimal(0), row["phase__currency"]),
        ]
        for row in money
        if row["planned"] or row["paid"]
    ]
    return Section(
        key="partnership",
        title=_("Innovation partnerships"),
        figures=[
            Figure(_("Gate decisions"), outcomes["decisions"]),
            *(Figure(label, outcomes[value]) for value, label in GateOutcome.Outcome.choices),
            Figure(_("Interim targets due"), targets["due"]),
            Figure(_("Interim targets met"), targets["met"]),
            Figure(_("Interim targets not met"), targets["not_met"]),
        ],
        columns=[_("Instalments planned"), _("Instalments paid")],
        rows=rows,
    )


BUILT_IN = (
    (headline_section, 10),
    (funnel_section, 20),
    (health_section, 30),
    (value_section, 40),
    (innovation_time_section, 50),
    (risks_section, 60),
    (partnership_section, 70),
)
