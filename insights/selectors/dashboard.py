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
    Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils import timezone

from clinics.models import Clinic, Region, User
from clinics.selectors import clinics_led_by
from core.search import text_search
from partners.models import Agreement, AgreementParty, Milestone, PartnerOrganisation
from partners.querysets import milestone_overdue_q, milestone_pending_q
from partnership.models import Instalment, InterimTarget
from portfolio.models import Idea, Project, Theme, ValueIndicator
from portfolio.querysets import STALE_AFTER_DAYS, ids_q, project_stale_q

# How many rows the dashboard lists under each figure; the counts are always complete.
LIST_LIMIT = 10
DUE_SOON_DAYS = 14
RESPONSE_WINDOW_DAYS = 365
# Up to this many projects' ids are read once and passed to every figure's query as one array;
# more (a superuser's whole database), and the figures keep the filters as a subquery.
MAX_LISTED_PROJECTS = 20000


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
    # Parties behind their planned contributions by more than 20 % (contributions page).
    contributions_behind: list = field(default_factory=list)
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
            or self.contributions_behind
        )


def _listed_ids(projects: QuerySet[Project]):
    """The filtered projects' ids, read once (one query): every figure below takes them as one
    array parameter instead of evaluating the access rule and the filters again. A huge
    portfolio (a superuser's) keeps them as a subquery."""
    ids = list(projects.order_by().values_list("pk", flat=True)[: MAX_LISTED_PROJECTS + 1])
    if len(ids) > MAX_LISTED_PROJECTS:
        return projects.order_by().values("pk")
    return ids


def _project_figures(board: Dashboard, scope: QuerySet[Project], user: User, now) -> None:
    """Totals, funnel, health and the projects by lead clinic in one grouped pass: one row per
    lead clinic, stage and health (a few hundred at most), summed here."""
    active_stages = set(Project.ACTIVE_STAGES)
    # A joint project's lead clinic may be one the leader does not lead: shown, but not
    # offered as a filter (the filter lists only their own clinics).
    led = clinics_led_by(user).filter(pk=OuterRef("lead_clinic_id"))
    rows = (
        scope.values("lead_clinic_id", "lead_clinic__name", "stage", "health")
        .annotate(
            count=Count("pk"), stale=Count("pk", filter=project_stale_q(now)), led=Exists(led)
        )
        # By name, so that the stable sort by count below keeps the database's order of names.
        .order_by("lead_clinic__name", "lead_clinic_id")
    )
    stages = dict.fromkeys(Project.Stage.values, 0)
    health = dict.fromkeys(Project.Health.values, 0)
    clinics: dict = {}
    for row in rows:
        board.total_projects += row["count"]
        board.stale_projects += row["stale"]
        stages[row["stage"]] = stages.get(row["stage"], 0) + row["count"]
        if row["stage"] in active_stages:
            board.active_projects += row["count"]
            health[row["health"]] = health.get(row["health"], 0) + row["count"]
        clinic = clinics.setdefault(
            row["lead_clinic_id"],
            {
                "lead_clinic_id": row["lead_clinic_id"],
                "lead_clinic__name": row["lead_clinic__name"],
                "count": 0,
                "led": row["led"],
            },
        )
        clinic["count"] += row["count"]
    board.funnel = [
        {"value": value, "label": label, "count": stages[value]}
        for value, label in Project.Stage.choices
    ]
    board.health = [
        {"value": value, "label": label, "count": health[value]}
        for value, label in Project.Health.choices
    ]
    board.by_clinic = sorted(clinics.values(), key=lambda row: -row["count"])


def _project_lists(board: Dashboard, scope: QuerySet[Project], now) -> None:
    """The first active projects at risk or off track (off track first) and the first stale
    ones (longest-running first), in one query: each ranked in its own window."""
    at_risk = Q(stage__in=Project.ACTIVE_STAGES) & Q(
        health__in=(Project.Health.AT_RISK, Project.Health.OFF_TRACK)
    )
    stale = project_stale_q(now)
    is_at_risk = ExpressionWrapper(at_risk, output_field=BooleanField())
    is_stale = ExpressionWrapper(stale, output_field=BooleanField())
    rows = list(
        scope.filter(at_risk | stale)
        .select_related("lead_clinic")
        .annotate(
            dash_at_risk=is_at_risk,
            dash_stale=is_stale,
            dash_at_risk_rank=Window(
                RowNumber(),
                partition_by=[is_at_risk],
                order_by=[F("health").desc(), F("title").asc(), F("pk").asc()],
            ),
            dash_stale_rank=Window(
                RowNumber(),
                partition_by=[is_stale],
                order_by=[F("started_on").asc(), F("pk").asc()],
            ),
        )
        .filter(
            Q(dash_at_risk=True, dash_at_risk_rank__lte=LIST_LIMIT)
            | Q(dash_stale=True, dash_stale_rank__lte=LIST_LIMIT)
        )
        .order_by()  # ordered here, by the ranks
    )
    board.projects_at_risk = sorted(
        (row for row in rows if row.dash_at_risk), key=lambda row: row.dash_at_risk_rank
    )[:LIST_LIMIT]
    board.stale = sorted(
        (row for row in rows if row.dash_stale), key=lambda row: row.dash_stale_rank
    )[:LIST_LIMIT]


def _milestone_figures(board: Dashboard, scope_ids, today: date) -> None:
    """Open milestones of running projects, overdue and due within 14 days: both counts and
    the first ones of each in one query (a window ranks and counts each kind)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    is_overdue = ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField())
    rows = list(
        Milestone.objects.filter(ids_q("project", scope_ids))
        .filter(milestone_pending_q(), due_on__lte=soon)
        .select_related("project", "responsible_party")
        .annotate(
            dash_overdue=is_overdue,
            dash_rank=Window(
                RowNumber(), partition_by=[is_overdue], order_by=[F("due_on"), F("pk")]
            ),
            dash_count=Window(Count("pk"), partition_by=[is_overdue]),
        )
        .filter(dash_rank__lte=LIST_LIMIT)
        .order_by("due_on", "pk")
    )
    board.overdue_milestones = [row for row in rows if row.dash_overdue]
    board.due_soon_milestones = [row for row in rows if not row.dash_overdue]
    board.milestones = {
        "overdue": board.overdue_milestones[0].dash_count if board.overdue_milestones else 0,
        "due_soon": board.due_soon_milestones[0].dash_count if board.due_soon_milestones else 0,
    }


def _first_response_aggregates(condition: Q) -> dict:
    """Count, mean and median of the days to a first response (PostgreSQL), as aggregates
    to add to another aggregate over the same ideas."""
    seconds = _EpochSeconds(
        ExpressionWrapper(F("first_response_at") - F("submitted_at"), DurationField())
    )
    return {
        "response_count": Count("pk", filter=condition),
        "response_mean": Avg(seconds, filter=condition),
        "response_median": _Median(seconds, filter=condition),
    }


def _counted_list(queryset, order: tuple) -> tuple[int, list]:
    """The first LIST_LIMIT rows and how many there are in all, in one query."""
    rows = list(queryset.annotate(dash_total=Window(Count("pk"))).order_by(*order)[:LIST_LIMIT])
    return (rows[0].dash_total if rows else 0), rows


def portfolio_dashboard(
    *, user: User, filters: PortfolioFilters, today: date | None = None
) -> Dashboard:
    """All the dashboard's figures for ``user`` and ``filters``: 13 queries, whatever the data.

    The projects' ids are read once; then one grouped pass per table (conditional counts, and
    window functions that count and rank a list in the same statement)."""
    today = today or timezone.localdate()
    now = timezone.now()
    projects = portfolio_projects(user=user, filters=filters)
    project_ids = projects.values("pk")  # noqa: F841 - the subquery figures added later read
    board = Dashboard(filters=filters)
    scope_ids = _listed_ids(projects)
    scope = Project.objects.filter(ids_q("pk", scope_ids))

    # 1. Funnel, health, totals and lead clinics: one grouped query.
    _project_figures(board, scope, user, now)

    # 2. Projects by theme, each in the reader's language (Theme.localized); the template
    # reads "themes__name".
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
            for row in scope.values(
                "themes__pk",
                "themes__name",
                "themes__name_sv",
                "themes__name_da",
                "themes__name_en",
            ).annotate(count=Count("pk"))
        ),
        key=lambda row: (-row["count"], row["themes__name"] or ""),
    )

    # 3. The active projects at risk or off track, and running projects nobody has reported
    # on for STALE_AFTER_DAYS: one query.
    _project_lists(board, scope, now)

    # 4. Open milestones of running projects, overdue and due soon: counts and lists in one
    # query. A stopped or completed project's milestones never count.
    _milestone_figures(board, scope_ids, today)

    # 5–6. Agreements by status: the current versions (``Agreement.objects.current``), and
    # the drafts being prepared (new agreements and new versions, never current); the
    # partners involved: parties to a current version only, never to a draft.
    agreements = Agreement.objects.filter(ids_q("project", scope_ids))
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

    # 7–8. Ideas waiting for review, their age, and the time to a first response of the last
    # twelve months (how the leaders answer now, not years ago): one aggregate; the oldest
    # waiting ideas listed.
    ideas = _ideas_waiting(user, filters)
    waiting = Q(status__in=Idea.AWAITING_REVIEW)
    week_ago, month_ago = now - timedelta(days=7), now - timedelta(days=30)
    recent = ideas.filter(submitted_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS))
    responded = Q(
        first_response_at__isnull=False,
        submitted_at__isnull=False,
        submitted_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS),
    )
    on_postgresql = connection.vendor == "postgresql"
    row = ideas.filter(
        waiting | Q(submitted_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS))
    ).aggregate(
        count=Count("pk", filter=waiting),
        oldest=Min("submitted_at", filter=waiting),
        under_week=Count("pk", filter=waiting & Q(submitted_at__gte=week_ago)),
        week_to_month=Count(
            "pk", filter=waiting & Q(submitted_at__lt=week_ago, submitted_at__gte=month_ago)
        ),
        over_month=Count("pk", filter=waiting & Q(submitted_at__lt=month_ago)),
        **(_first_response_aggregates(responded) if on_postgresql else {}),
    )
    if on_postgresql:
        board.first_response = {
            "count": row.pop("response_count"),
            **{
                key: None if row[f"response_{key}"] is None else row[f"response_{key}"] / 86400
                for key in ("mean", "median")
            },
        }
        del row["response_mean"], row["response_median"]
    else:
        board.first_response = _first_response(recent)
    board.ideas_waiting = row
    board.oldest_ideas = list(
        ideas.filter(waiting).select_related("clinic").order_by("submitted_at", "pk")[:LIST_LIMIT]
    )

    # 9–10. Value indicators: how far the latest measurement has come from baseline to target.
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
    counted = ValueIndicator.objects.filter(ids_q("project", scope_ids), retired_at__isnull=True)
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
    # Target against latest measurement, indicator by indicator: those furthest behind.
    board.indicators_behind = list(
        counted.filter(latest_value__isnull=False)
        .exclude(target=F("baseline"))
        .annotate(progress=progress)
        .select_related("project")
        .order_by("progress", "pk")[:LIST_LIMIT]
    )

    # 11–12. Innovation partnerships of these projects: interim targets past due and not met,
    # and instalments awaiting payment (due, or planned with the date passed), each counted
    # and the first ones listed in one query (the phase page is where the leader acts on them).
    of_projects = ids_q("phase__agreement__project", scope_ids)
    board.overdue_targets_count, board.overdue_targets = _counted_list(
        InterimTarget.objects.filter(of_projects)
        .not_met()
        .filter(due_on__lt=today)
        .select_related("phase__agreement__project", "organisation"),
        ("due_on", "pk"),
    )
    board.instalments_due_count, board.instalments_due = _counted_list(
        Instalment.objects.filter(of_projects)
        .awaiting_payment(today)
        .select_related("phase__agreement__project", "organisation"),
        ("planned_on", "pk"),
    )
    board.contributions_behind = _contributions_behind(project_ids, today)
    board.portfolio_progress = dashboard_portfolio_progress(projects)
    return board


def _contributions_behind(project_ids, today: date) -> list:
    """19. Parties whose actual contributions are below 80 % of their plan pro rata to the
    agreement's elapsed time (``partnership.selectors_contributions``), the first ones."""
    from partners.models import Agreement
    from partnership.selectors_contributions import contributions_behind_plan

    return contributions_behind_plan(Agreement.objects.filter(project__in=project_ids), today)[
        :LIST_LIMIT
    ]


def dashboard_portfolio_progress(projects: QuerySet[Project]):
    """19. The progress roll-up of the portfolio: the mean of its projects' values, each in its
    own mode, the projects without progress counted (``partnership.progress``; one query)."""
    from partnership.progress import portfolio_progress

    return portfolio_progress(projects)


def portfolio_ideas(*, user: User, filters: PortfolioFilters) -> QuerySet[Idea]:
    """The ideas the dashboard's filters select (region, clinic, theme, q; stage, health and
    partner concern projects only), scoped to what ``user`` may read."""
    return _ideas_waiting(user, filters)


def dashboard_needing_action(user: User, today: date | None = None):
    """Partners needing action (``partners.engagement.needing_action``): silent partners on
    running projects, unused invitations, long-blocked milestones, of the leader's projects.
    Read per page, not with the cached figures: a login or a milestone update changes it, and
    neither moves the cache's data version. Three queries."""
    from partners.engagement import needing_action

    return needing_action(user, today=today)
