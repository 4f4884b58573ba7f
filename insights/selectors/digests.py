"""What changed in a leader's portfolio in one digest period: the reads behind the digest.

Everything is scoped with the portfolio's one access rule (``visible_to`` and
``clinics_led_by``), so a digest never mentions a clinic the leader does not lead. The number
of queries is fixed (one per section, plus one prefetch), whatever the amount of data: each
section is cut at ``SECTION_LIMIT`` items and the rest is left to the dashboard.
"""

import copy
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, F, IntegerField, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from clinics.models import User
from clinics.selectors import clinics_led_by
from partners.models import Agreement, Milestone, MilestoneUpdate
from partners.querysets import milestone_pending_q
from partnership.models import GateDecision, GateOutcome, Instalment, InterimTarget
from portfolio.models import (
    Idea,
    InnovationTime,
    Project,
    StageChange,
    StatusUpdate,
    ValueMeasurement,
)
from portfolio.selectors.innovation_time import row_clinic

# Items per section; one more is fetched to know whether there are more.
SECTION_LIMIT = 20
# Up to this many clinic or project ids are passed as a list (well below SQLite's limit on
# query parameters); more, and the query keeps the access rule as a subquery.
MAX_LISTED_IDS = 5000
# Interim targets are reminded of this many days before they are due, whatever the frequency.
TARGET_DUE_WITHIN_DAYS = 14


@dataclass
class Capped:
    """A section's items, at most SECTION_LIMIT, and whether more were left out."""

    items: list
    more: bool = False

    @classmethod
    def of(cls, queryset) -> "Capped":
        rows = list(queryset[: SECTION_LIMIT + 1])
        return cls(items=rows[:SECTION_LIMIT], more=len(rows) > SECTION_LIMIT)

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        return len(self.items)


@dataclass
class PortfolioChanges:
    """The raw material of one digest; ``period_start <= t < period_end`` counts as changed."""

    period_start: datetime
    period_end: datetime
    today: date
    horizon: date  # "due in the next period" runs from today to this date
    ideas_waiting: Capped
    ideas_decided: Capped
    stage_changes: Capped
    status_updates: Capped
    milestones_completed: list = field(default_factory=list)
    milestones_overdue: list = field(default_factory=list)
    milestones_due: list = field(default_factory=list)
    milestones_updated: list = field(default_factory=list)
    milestones_more: bool = False
    agreements_proposed: list = field(default_factory=list)
    agreements_signed: list = field(default_factory=list)
    agreements_ending: list = field(default_factory=list)
    agreements_more: bool = False
    measurements: Capped = field(default_factory=lambda: Capped(items=[]))
    # Hours per clinic of the weeks that began in the period: a standing figure, not a change.
    innovation_time: list["ClinicTime"] = field(default_factory=list)
    # Innovation partnerships: targets not met that are overdue or due within
    # TARGET_DUE_WITHIN_DAYS (reminders), gate decisions taken in the period (changes), and
    # instalments awaiting payment (reminders).
    targets_due: Capped = field(default_factory=lambda: Capped(items=[]))
    gate_decisions: Capped = field(default_factory=lambda: Capped(items=[]))
    instalments_due: Capped = field(default_factory=lambda: Capped(items=[]))
    # Parties whose actual contributions are behind plan by more than 20 % (reminders).
    contributions_behind: Capped = field(default_factory=lambda: Capped(items=[]))

    @property
    def ideas_submitted(self) -> list:
        return [
            idea
            for idea in self.ideas_waiting.items
            if idea.submitted_at and idea.submitted_at >= self.period_start
        ]

    @property
    def has_changes(self) -> bool:
        """Did anything happen in the period? Waiting ideas and overdue or coming milestones are
        reminders of a standing state, not changes."""
        return bool(
            self.ideas_submitted
            or self.ideas_decided
            or self.stage_changes
            or self.status_updates
            or self.milestones_completed
            or self.milestones_updated
            or any(m.period_updates for m in self.milestones_overdue + self.milestones_due)
            or self.agreements_proposed
            or self.agreements_signed
            or self.measurements
            or self.gate_decisions
        )


@dataclass
class ClinicTime:
    clinic_name: str
    hours: object
    allotted: object  # the clinic's allotment for the weeks of the period, or None


def _mondays(start: date, end: date) -> int:
    """Weeks that begin in ``start <= day < end``."""
    first = start + timedelta(days=(7 - start.weekday()) % 7)
    return len(range(0, max((end - first).days, 0), 7))


def _innovation_time(clinics, start_date: date, end_date: date) -> list[ClinicTime]:
    """One aggregate: the row's clinic (``row_clinic``) with its name and allotment alongside,
    taken from the same side of the coalesce (the person's clinic, else the lead clinic)."""
    rows = (
        InnovationTime.objects.filter(week__gte=start_date, week__lt=end_date)
        .annotate(
            row_clinic_id=row_clinic(),
            clinic_name=Coalesce(F("person__clinic__name"), F("project__lead_clinic__name")),
            weekly=Case(
                When(
                    person__clinic__isnull=False,
                    then=F("person__clinic__allotted_innovation_hours_per_week"),
                ),
                default=F("project__lead_clinic__allotted_innovation_hours_per_week"),
            ),
        )
        .filter(row_clinic_id__in=clinics)
        .values("row_clinic_id", "clinic_name", "weekly")
        .annotate(hours=Sum("hours"))
        .order_by("clinic_name", "row_clinic_id")
    )
    weeks = _mondays(start_date, end_date)
    return [
        ClinicTime(
            clinic_name=row["clinic_name"],
            hours=row["hours"],
            allotted=None if row["weekly"] is None else row["weekly"] * weeks,
        )
        for row in rows[:SECTION_LIMIT]
    ]


HEALTH_FIRST = Case(
    When(health=Project.Health.OFF_TRACK, then=Value(0)),
    When(health=Project.Health.AT_RISK, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


# Within ``shared_digest_reads``: the changes already read, by clinics and period.
_shared_reads: ContextVar[dict | None] = ContextVar("digest_shared_reads", default=None)


@contextmanager
def shared_digest_reads():
    """Within this block, leaders of the same clinics and period share one read of what
    changed (a batch of digests: 1,000 leaders are a few hundred scopes). Reads only: each
    digest still claims its own period in its own transaction. Keep the block short (one
    batch): what it shares is as old as the first read."""
    token = _shared_reads.set({})
    try:
        yield
    finally:
        _shared_reads.reset(token)


def _scope_ids(leader: User):
    """The leader's clinics and projects, as id lists the section queries filter on.

    Evaluated once per digest rather than as a subquery in every section: as a subquery the
    access rule scanned the leader scopes again in each of them, and the time per digest grew
    with the data. The projects are those of ``Project.objects.visible_to`` for a leader (lead
    or joined clinic among theirs), read through two indexed lookups instead of its OR over a
    join; tests/portfolio/test_selectors_digests.py asserts both give the same set.
    """
    return _scope_ids_of_clinics(
        leader, sorted(clinics_led_by(leader).values_list("pk", flat=True))
    )


def _scope_ids_of_clinics(leader: User, clinics: list):
    if len(clinics) > MAX_LISTED_IDS:  # a huge portfolio: keep the access rule as a subquery
        return clinics_led_by(leader).values("pk"), Project.objects.visible_to(leader).values("pk")
    led = Project.objects.filter(lead_clinic__in=clinics).values_list("pk", flat=True)
    joined = Project.other_clinics.through.objects.filter(clinic__in=clinics).values_list(
        "project_id", flat=True
    )
    projects = sorted(set(led) | set(joined))
    if len(projects) > MAX_LISTED_IDS:
        return clinics, Project.objects.visible_to(leader).values("pk")
    return clinics, projects


def portfolio_changes_for_leader(
    *,
    leader: User,
    period_start: datetime,
    period_end: datetime,
    start_date: date,
    end_date: date,
    today: date,
    horizon: date,
) -> PortfolioChanges:
    """What changed for ``leader``'s own clinics between ``period_start`` and ``period_end``.

    The dates are in the leader's time zone: ``start_date``/``end_date`` bound the period for
    date fields (a milestone's completion), overdue means due before ``today``, "due next
    period" means due from ``today`` up to ``horizon``.
    """
    clinics = sorted(clinics_led_by(leader).values_list("pk", flat=True))
    shared = _shared_reads.get()
    key = (tuple(clinics), period_start, period_end, start_date, end_date, today, horizon)
    if shared is not None and key in shared:
        return _for_this_leader(shared[key], leader)
    clinics, projects = _scope_ids_of_clinics(leader, clinics)
    in_period = {"created_at__gte": period_start, "created_at__lt": period_end}

    ideas_waiting = Capped.of(
        Idea.objects.filter(clinic__in=clinics, status__in=Idea.AWAITING_REVIEW)
        .select_related("clinic")
        .order_by("submitted_at", "pk")
    )
    ideas_decided = Capped.of(
        Idea.objects.filter(
            clinic__in=clinics, decided_at__gte=period_start, decided_at__lt=period_end
        )
        .select_related("clinic")
        .order_by("-decided_at", "pk")
    )
    stage_changes = Capped.of(
        StageChange.objects.filter(project__in=projects, **in_period)
        .select_related("project")
        .order_by("-created_at", "-pk")
    )
    # Projects that became at risk or off track come first.
    status_updates = Capped.of(
        StatusUpdate.objects.filter(project__in=projects, **in_period)
        .select_related("project", "author")
        .annotate(severity=HEALTH_FIRST)
        .order_by("severity", "-created_at", "-pk")
    )

    partner_updates = (
        MilestoneUpdate.objects.filter(author__role=User.Role.PARTNER, **in_period)
        .select_related("author__partner_membership__organisation")
        .order_by("created_at", "pk")
    )
    done = Milestone.Status.DONE
    completed_in_period = Q(
        status=done, completed_on__gte=start_date, completed_on__lt=end_date
    ) | Q(status=done, confirmed_at__gte=period_start, confirmed_at__lt=period_end)
    milestone_rows = list(
        Milestone.objects.filter(project__in=projects)
        .filter(
            completed_in_period
            | (milestone_pending_q() & Q(due_on__lte=horizon))
            | Q(pk__in=partner_updates.values("milestone"))
        )
        .select_related("project", "responsible_party")
        .prefetch_related(Prefetch("updates", queryset=partner_updates, to_attr="period_updates"))
        .order_by("due_on", "pk")[: SECTION_LIMIT * 4 + 1]
    )
    changes = PortfolioChanges(
        period_start=period_start,
        period_end=period_end,
        today=today,
        horizon=horizon,
        ideas_waiting=ideas_waiting,
        ideas_decided=ideas_decided,
        stage_changes=stage_changes,
        status_updates=status_updates,
        milestones_more=len(milestone_rows) > SECTION_LIMIT * 4,
    )
    for milestone in milestone_rows[: SECTION_LIMIT * 4]:
        if milestone.status == done:
            completed = (
                milestone.completed_on and start_date <= milestone.completed_on < end_date
            ) or (milestone.confirmed_at and period_start <= milestone.confirmed_at < period_end)
            if completed:
                changes.milestones_completed.append(milestone)
            else:
                changes.milestones_updated.append(milestone)
        elif milestone.project.stage not in Project.ACTIVE_STAGES:
            # A stopped or completed project's milestones are closed with it
            # (``milestone_overdue_q``): neither overdue nor coming up. Only a partner's update
            # in the period brings one here.
            changes.milestones_updated.append(milestone)
        elif milestone.due_on < today:
            changes.milestones_overdue.append(milestone)
        elif milestone.due_on <= horizon:
            changes.milestones_due.append(milestone)
        else:
            changes.milestones_updated.append(milestone)

    agreement_rows = list(
        Agreement.objects.filter(project__in=projects)
        .filter(
            Q(proposed_at__gte=period_start, proposed_at__lt=period_end)
            | Q(signed_at__gte=period_start, signed_at__lt=period_end)
            # Ending soon: the terms in force, not a version a newer signed one replaced.
            | Q(
                pk__in=Agreement.objects.current(signed=True).values("pk"),
                status__in=[Agreement.Status.SIGNED, Agreement.Status.ACTIVE],
                ends_on__gte=today,
                ends_on__lte=horizon,
            )
        )
        .select_related("project")
        .order_by("project__title", "title", "-version")[: SECTION_LIMIT * 3 + 1]
    )
    changes.agreements_more = len(agreement_rows) > SECTION_LIMIT * 3
    for agreement in agreement_rows[: SECTION_LIMIT * 3]:
        if agreement.signed_at and period_start <= agreement.signed_at < period_end:
            changes.agreements_signed.append(agreement)
        elif agreement.proposed_at and period_start <= agreement.proposed_at < period_end:
            changes.agreements_proposed.append(agreement)
        else:
            changes.agreements_ending.append(agreement)

    changes.measurements = Capped.of(
        # A retired indicator no longer reports value, in the digest as on the dashboard.
        ValueMeasurement.objects.filter(
            indicator__project__in=projects, indicator__retired_at__isnull=True, **in_period
        )
        .select_related("indicator", "indicator__project")
        .order_by("indicator__project__title", "indicator__name", "-measured_on", "-pk")
    )
    changes.innovation_time = _innovation_time(clinics, start_date, end_date)
    _partnership_changes(changes, projects)
    changes.contributions_behind = _contributions_behind(projects, today)
    if shared is not None:
        shared[key] = changes
    return _for_this_leader(changes, leader)


def _for_this_leader(changes: PortfolioChanges, leader: User) -> PortfolioChanges:
    """The changes of the leader's clinics (maybe read once for several leaders with the same
    clinics) plus what is the leader's own: the benefits they own, the partners needing action
    in the projects they see. A copy, so a shared read never carries one leader's own lines
    into another's digest."""
    changes = copy.copy(changes)
    _benefit_reviews_and_partners_needing_action(changes, leader)
    return changes


def _partnership_changes(changes: PortfolioChanges, projects) -> None:
    """The innovation partnerships of the leader's projects: three queries and one prefetch.

    Scoped by the same project ids as every other section; a leader reads every partner's
    targets, decisions and instalments (``partnership.querysets``), so no narrowing here."""
    of_projects = {"phase__agreement__project__in": projects}
    changes.targets_due = Capped.of(
        InterimTarget.objects.filter(**of_projects)
        .not_met()
        .filter(due_on__lte=changes.today + timedelta(days=TARGET_DUE_WITHIN_DAYS))
        .select_related("phase__agreement__project", "organisation")
        .order_by("due_on", "pk")
    )
    changes.gate_decisions = Capped.of(
        GateDecision.objects.filter(
            decided_at__gte=changes.period_start, decided_at__lt=changes.period_end, **of_projects
        )
        .select_related("phase__agreement__project", "decided_by")
        .prefetch_related(
            Prefetch("outcomes", queryset=GateOutcome.objects.select_related("organisation"))
        )
        .order_by("-decided_at", "-pk")
    )
    changes.instalments_due = Capped.of(
        Instalment.objects.filter(**of_projects)
        .awaiting_payment(changes.today)
        .select_related("phase__agreement__project", "organisation")
        .order_by("planned_on", "pk")
    )


def _contributions_behind(projects, today: date) -> Capped:
    """Parties of the leader's running partnerships whose actual contributions are below 80 %
    of their plan pro rata to the agreement's elapsed time (one query; see
    ``partnership.selectors_contributions.contributions_behind_plan``)."""
    from partnership.selectors_contributions import contributions_behind_plan

    rows = contributions_behind_plan(Agreement.objects.filter(project__in=projects), today)
    return Capped(items=rows[:SECTION_LIMIT], more=len(rows) > SECTION_LIMIT)


def _benefit_reviews_and_partners_needing_action(changes: PortfolioChanges, leader: User) -> None:
    """Reminders of a standing state, not changes: the benefits the leader owns whose review is
    due by the next digest (``benefit_reviews_due``), and the partners needing action in their
    projects (``partners_needing_action``, ``partners.engagement``). Four queries."""
    from partners.engagement import needing_action
    from portfolio.selectors.benefits import benefit_reviews_due_for_owner

    changes.benefit_reviews_due = Capped.of(
        benefit_reviews_due_for_owner(leader, until=changes.horizon)
    )
    changes.partners_needing_action = needing_action(
        leader, today=changes.today, limit=SECTION_LIMIT
    )
