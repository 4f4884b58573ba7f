"""The leader's portfolio dashboard: every number in a fixed number of aggregate queries.

Each figure is one query (``aggregate`` / ``values().annotate()`` with conditional counts), so
the page costs the same number of queries for ten projects or ten thousand. Everything starts
from ``Project.objects.visible_to(user)`` / ``Idea.objects.visible_to(user)``: a leader sees
only the clinics they lead.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from clinics.models import Clinic, Region, User
from clinics.selectors import clinics_led_by
from core.search import text_search
from partners.models import Agreement, AgreementParty, Milestone, PartnerOrganisation
from partners.querysets import milestone_overdue_q, milestone_pending_q
from partnership.models import Instalment, InterimTarget
from portfolio.models import Idea, Project, Theme, ValueIndicator
from portfolio.querysets import STALE_AFTER_DAYS, project_stale_q

# How many rows the dashboard lists under each figure; the counts are always complete.
LIST_LIMIT = 10
DUE_SOON_DAYS = 14
RESPONSE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class PortfolioFilters:
    """What the leader narrowed the portfolio to (from the dashboard's GET form)."""

    region: Region | None = None
    clinic: Clinic | None = None
    stage: str = ""
    health: str = ""
    theme: Theme | None = None
    partner: PartnerOrganisation | None = None
    q: str = ""

    def as_query(self, **changes) -> str:
        """The URL query of these filters with ``changes`` applied: the dashboard's figure
        links narrow the current view instead of starting a new one."""
        values = {
            "q": self.q,
            "region": self.region.pk if self.region else "",
            "clinic": self.clinic.pk if self.clinic else "",
            "stage": self.stage,
            "health": self.health,
            "theme": self.theme.pk if self.theme else "",
            "partner": self.partner.pk if self.partner else "",
            **changes,
        }
        return urlencode({name: value for name, value in values.items() if value not in ("", None)})

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.region, self.clinic, self.stage, self.health, self.theme, self.partner, self.q)
        )


def portfolio_projects(*, user: User, filters: PortfolioFilters) -> QuerySet[Project]:
    """The projects the dashboard counts and lists, and the exports write, for this filter."""
    projects = Project.objects.visible_to(user)
    if filters.region:
        projects = projects.filter(lead_clinic__region=filters.region)
    if filters.clinic:
        projects = projects.filter(lead_clinic=filters.clinic)
    if filters.stage:
        projects = projects.filter(stage=filters.stage)
    if filters.health:
        projects = projects.filter(health=filters.health)
    if filters.theme:
        projects = projects.filter(
            pk__in=Project.themes.through.objects.filter(theme=filters.theme).values("project_id")
        )
    if filters.partner:
        # Party to the current version, as the partners figure counts them: a partner left
        # out of a newer version is no longer involved, one only in a draft not yet.
        projects = projects.filter(
            pk__in=Agreement.objects.current()
            .filter(parties__organisation=filters.partner)
            .values("project_id")
        )
    if filters.q:
        projects = text_search(projects, filters.q, ("title", "summary"))
    return projects


def _milestone_count(condition: Q):
    """Milestones of the outer project meeting ``condition`` as a correlated subquery: cheap
    for one page of rows, and unlike a joined Count it leaves the paginator's COUNT(*) a
    plain count."""
    counted = (
        Milestone.objects.filter(condition, project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def portfolio_project_list(*, user: User, filters: PortfolioFilters, today: date | None = None):
    """The dashboard's project list (and the exports' rows), in one stable order."""
    today = today or timezone.localdate()
    return (
        portfolio_projects(user=user, filters=filters)
        .select_related("lead_clinic__region", "owner")
        .prefetch_related("themes")
        .annotate(
            open_milestones=_milestone_count(~Q(status=Milestone.Status.DONE)),
            overdue_milestones=_milestone_count(milestone_overdue_q(today)),
            is_stale=ExpressionWrapper(project_stale_q(), output_field=BooleanField()),
        )
        .order_by("title", "pk")
    )


def _ideas_waiting(user: User, filters: PortfolioFilters) -> QuerySet[Idea]:
    ideas = Idea.objects.visible_to(user)
    if filters.region:
        ideas = ideas.filter(clinic__region=filters.region)
    if filters.clinic:
        ideas = ideas.filter(clinic=filters.clinic)
    if filters.theme:
        ideas = ideas.filter(
            pk__in=Idea.themes.through.objects.filter(theme=filters.theme).values("idea_id")
        )
    if filters.q:
        ideas = text_search(ideas, filters.q, ("title", "problem"))
    return ideas


class _EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class _Median(Aggregate):
    # PostgreSQL's ordered-set aggregate; SQLite has none (see _first_response).
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _first_response(ideas: QuerySet[Idea]) -> dict:
    """Days from submission to a leader's first response: how many, mean and median."""
    answered = ideas.filter(first_response_at__isnull=False, submitted_at__isnull=False)
    if connection.vendor == "postgresql":
        seconds = _EpochSeconds(
            ExpressionWrapper(F("first_response_at") - F("submitted_at"), DurationField())
        )
        row = answered.aggregate(count=Count("pk"), mean=Avg(seconds), median=_Median(seconds))
        days = {k: row[k] / 86400 if row[k] is not None else None for k in ("mean", "median")}
        return {"count": row["count"], **days}
    # SQLite (development and tests): one query for the pairs, the statistics in Python.
    values = [
        (responded - submitted).total_seconds() / 86400
        for submitted, responded in answered.values_list("submitted_at", "first_response_at")
    ]
    return {
        "count": len(values),
        "mean": statistics.fmean(values) if values else None,
        "median": statistics.median(values) if values else None,
    }


@dataclass
class Dashboard:
    filters: PortfolioFilters
    total_projects: int = 0
    funnel: list[dict] = field(default_factory=list)
    health: list[dict] = field(default_factory=list)
    by_clinic: list[dict] = field(default_factory=list)
    by_theme: list[dict] = field(default_factory=list)
    projects_at_risk: list[Project] = field(default_factory=list)
    active_projects: int = 0
    stale_projects: int = 0
    stale: list[Project] = field(default_factory=list)
    milestones: dict = field(default_factory=dict)
    overdue_milestones: list[Milestone] = field(default_factory=list)
    due_soon_milestones: list[Milestone] = field(default_factory=list)
    agreements_by_status: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    ideas_waiting: dict = field(default_factory=dict)
    oldest_ideas: list[Idea] = field(default_factory=list)
    first_response: dict = field(default_factory=dict)
    value_by_dimension: list[dict] = field(default_factory=list)
    indicators_behind: list[ValueIndicator] = field(default_factory=list)
    # Innovation partnerships: targets past due and not met, instalments awaiting payment.
    overdue_targets_count: int = 0
    overdue_targets: list[InterimTarget] = field(default_factory=list)
    instalments_due_count: int = 0
    instalments_due: list[Instalment] = field(default_factory=list)
    stale_after_days: int = STALE_AFTER_DAYS

    # The headline figures, from the counts above (no query of their own).
    @property
    def at_risk_or_off_track(self) -> int:
        return sum(row["count"] for row in self.health if row["value"] != Project.Health.ON_TRACK)

    @property
    def indicators_measured(self) -> int:
        return sum(row["measured"] for row in self.value_by_dimension)

    @property
    def indicators_on_target(self) -> int:
        return sum(row["reached"] for row in self.value_by_dimension)

    @property
    def needs_action(self) -> bool:
        return bool(
            self.overdue_milestones
            or self.projects_at_risk
            or self.stale
            or self.oldest_ideas
            or self.overdue_targets
            or self.instalments_due
        )


def portfolio_dashboard(
    *, user: User, filters: PortfolioFilters, today: date | None = None
) -> Dashboard:
    """All the dashboard's figures for ``user`` and ``filters``: 19 queries, whatever the data."""
    today = today or timezone.localdate()
    now = timezone.now()
    projects = portfolio_projects(user=user, filters=filters)
    project_ids = projects.values("pk")
    board = Dashboard(filters=filters)

    # 1. Funnel by stage and health of the active projects, in one conditional aggregate.
    active = Q(stage__in=Project.ACTIVE_STAGES)
    counts = projects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=active),
        stale=Count("pk", filter=project_stale_q(now)),
        **{f"stage_{value}": Count("pk", filter=Q(stage=value)) for value in Project.Stage.values},
        **{
            f"health_{value}": Count("pk", filter=active & Q(health=value))
            for value in Project.Health.values
        },
    )
    board.total_projects = counts["total"]
    board.active_projects = counts["active"]
    board.stale_projects = counts["stale"]
    board.funnel = [
        {"value": value, "label": label, "count": counts[f"stage_{value}"]}
        for value, label in Project.Stage.choices
    ]
    board.health = [
        {"value": value, "label": label, "count": counts[f"health_{value}"]}
        for value, label in Project.Health.choices
    ]

    # 2–3. Projects by lead clinic and by theme.
    # A joint project's lead clinic may be one the leader does not lead: shown, but not
    # offered as a filter (the filter lists only their own clinics).
    led = clinics_led_by(user).filter(pk=OuterRef("lead_clinic_id"))
    board.by_clinic = list(
        projects.values("lead_clinic_id", "lead_clinic__name")
        .annotate(count=Count("pk"), led=Exists(led))
        .order_by("-count", "lead_clinic__name")
    )
    # Each theme in the reader's language (Theme.localized); the template reads "themes__name".
    board.by_theme = sorted(
        (
            {
                "themes__name": Theme.localized(
                    {key.removeprefix("themes__"): value for key, value in row.items()}
                )
                if row["themes__name"]
                else None,
                "count": row["count"],
            }
            for row in projects.values(
                "themes__pk",
                "themes__name",
                "themes__name_sv",
                "themes__name_da",
                "themes__name_en",
            ).annotate(count=Count("pk"))
        ),
        key=lambda row: (-row["count"], row["themes__name"] or ""),
    )

    # 4. The active projects at risk or off track (off track first).
    board.projects_at_risk = list(
        projects.filter(active, health__in=(Project.Health.AT_RISK, Project.Health.OFF_TRACK))
        .select_related("lead_clinic")
        .order_by("-health", "title", "pk")[:LIST_LIMIT]
    )

    # 4b. Running projects nobody has reported on for STALE_AFTER_DAYS, longest-running first.
    board.stale = list(
        projects.filter(project_stale_q(now))
        .select_related("lead_clinic")
        .order_by("started_on", "pk")[:LIST_LIMIT]
    )

    # 5–7. Open milestones of running projects: overdue and due within 14 days, counted and
    # the first ones listed. A stopped or completed project's milestones never count.
    open_milestones = Milestone.objects.filter(project__in=project_ids).filter(
        milestone_pending_q()
    )
    soon = today + timedelta(days=DUE_SOON_DAYS)
    overdue = milestone_overdue_q(today)
    board.milestones = open_milestones.aggregate(
        overdue=Count("pk", filter=overdue),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
    )
    listed = open_milestones.select_related("project", "responsible_party").order_by("due_on", "pk")
    board.overdue_milestones = list(listed.filter(overdue)[:LIST_LIMIT])
    board.due_soon_milestones = list(
        listed.filter(due_on__gte=today, due_on__lte=soon)[:LIST_LIMIT]
    )

    # 8–9. Agreements by status: the current versions (``Agreement.objects.current``), and
    # the drafts being prepared (new agreements and new versions, never current); the
    # partners involved: parties to a current version only, never to a draft.
    agreements = Agreement.objects.filter(project__in=project_ids)
    by_status = dict(
        agreements.current_or_draft().values_list("status").annotate(count=Count("pk")).order_by()
    )
    board.agreements_by_status = [
        {"value": value, "label": label, "count": by_status.get(value, 0)}
        for value, label in Agreement.Status.choices
    ]
    board.partners = list(
        AgreementParty.objects.filter(
            agreement__in=agreements.current(), organisation__isnull=False
        )
        .values("organisation_id", "organisation__name", "organisation__kind")
        .annotate(projects=Count("agreement__project", distinct=True))
        .order_by("-projects", "organisation__name")
    )

    # 10–12. Ideas waiting for review, their age, and the time to a first response.
    ideas = _ideas_waiting(user, filters)
    waiting = ideas.filter(status__in=Idea.AWAITING_REVIEW)
    week_ago, month_ago = now - timedelta(days=7), now - timedelta(days=30)
    board.ideas_waiting = waiting.aggregate(
        count=Count("pk"),
        oldest=Min("submitted_at"),
        under_week=Count("pk", filter=Q(submitted_at__gte=week_ago)),
        week_to_month=Count("pk", filter=Q(submitted_at__lt=week_ago, submitted_at__gte=month_ago)),
        over_month=Count("pk", filter=Q(submitted_at__lt=month_ago)),
    )
    board.oldest_ideas = list(
        waiting.select_related("clinic").order_by("submitted_at", "pk")[:LIST_LIMIT]
    )
    # Response time of the last twelve months: how the leaders answer now, not years ago.
    board.first_response = _first_response(
        ideas.filter(submitted_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS))
    )

    # 13. Value indicators: how far the latest measurement has come from baseline to target.
    measured = Q(latest_value__isnull=False)
    progress = Case(
        When(
            measured & ~Q(target=F("baseline")),
            then=Cast(F("latest_value") - F("baseline"), FloatField())
            * 100.0
            / Cast(F("target") - F("baseline"), FloatField()),
        ),
        output_field=FloatField(),
    )
    # On target by the indicator's direction: higher is better reaches it from below, lower
    # is better from above. Retired indicators no longer count.
    reached = measured & (
        Q(direction=ValueIndicator.Direction.HIGHER, latest_value__gte=F("target"))
        | Q(direction=ValueIndicator.Direction.LOWER, latest_value__lte=F("target"))
    )
    counted = ValueIndicator.objects.filter(project__in=project_ids, retired_at__isnull=True)
    rows = {
        row["dimension"]: row
        for row in counted.values("dimension")
        .annotate(
            indicators=Count("pk"),
            measured=Count("pk", filter=measured),
            reached=Count("pk", filter=reached),
            progress=Avg(progress),
        )
        .order_by()
    }
    board.value_by_dimension = [
        {
            "value": value,
            "label": label,
            "indicators": rows.get(value, {}).get("indicators", 0),
            "measured": rows.get(value, {}).get("measured", 0),
            "reached": rows.get(value, {}).get("reached", 0),
            "progress": rows.get(value, {}).get("progress"),
        }
        for value, label in ValueIndicator.Dimension.choices
    ]
    # 14. Target against latest measurement, indicator by indicator: those furthest behind.
    board.indicators_behind = list(
        counted.filter(latest_value__isnull=False)
        .exclude(target=F("baseline"))
        .annotate(progress=progress)
        .select_related("project")
        .order_by("progress", "pk")[:LIST_LIMIT]
    )

    # 15–18. Innovation partnerships of these projects: interim targets past due and not met,
    # and instalments awaiting payment (due, or planned with the date passed), each counted
    # and the first ones listed (the phase page is where the leader acts on them).
    of_projects = {"phase__agreement__project__in": project_ids}
    targets = InterimTarget.objects.filter(**of_projects).not_met().filter(due_on__lt=today)
    board.overdue_targets_count = targets.count()
    board.overdue_targets = list(
        targets.select_related("phase__agreement__project", "organisation").order_by(
            "due_on", "pk"
        )[:LIST_LIMIT]
    )
    instalments = Instalment.objects.filter(**of_projects).awaiting_payment(today)
    board.instalments_due_count = instalments.count()
    board.instalments_due = list(
        instalments.select_related("phase__agreement__project", "organisation").order_by(
            "planned_on", "pk"
        )[:LIST_LIMIT]
    )
    board.portfolio_progress = dashboard_portfolio_progress(projects)
    return board


def dashboard_portfolio_progress(projects: QuerySet[Project]):
    """19. The progress roll-up of the portfolio: the mean of its projects' values, each in its
    own mode, the projects without progress counted (``partnership.progress``; one query)."""
    from partnership.progress import portfolio_progress

    return portfolio_progress(projects)


def portfolio_ideas(*, user: User, filters: PortfolioFilters) -> QuerySet[Idea]:
    """The ideas the dashboard's filters select (region, clinic, theme, q; stage, health and
    partner concern projects only), scoped to what ``user`` may read."""
    return _ideas_waiting(user, filters)
