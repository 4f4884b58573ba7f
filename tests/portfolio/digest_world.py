"""A portfolio with one of each kind of digest item, around a fixed Monday morning."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from partners.models import Agreement, Milestone, MilestoneUpdate
from partnership.models import GateDecision, GateOutcome, Instalment, InterimTarget
from portfolio.models import (
    Idea,
    Project,
    StageChange,
    ValueMeasurement,
)
from tests.partners.factories import (
    MilestoneFactory,
    PartnerUserFactory,
    agreement_with_parties,
)
from tests.partnership.factories import instalment_of, phase_with_budgets, target_of
from tests.portfolio.factories import (
    IdeaFactory,
    ProjectFactory,
    StatusUpdateFactory,
    ValueIndicatorFactory,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Monday 2 March 2026: the weekly period is 23 Feb 07:00 – 2 Mar 07:00, Stockholm time.
SLOT = datetime(2026, 3, 2, 7, 0, tzinfo=STOCKHOLM)
NOW = SLOT + timedelta(minutes=5)
IN_PERIOD = datetime(2026, 2, 25, 12, 0, tzinfo=STOCKHOLM)
BEFORE_PERIOD = datetime(2026, 2, 10, 12, 0, tzinfo=STOCKHOLM)
TODAY = date(2026, 3, 2)


def build_portfolio(*, clinic, project, partner_organisation, label="", at=IN_PERIOD):
    """One item of every section for ``project`` (in ``clinic``), changed at ``at``."""
    staff_idea = IdeaFactory(
        title=f"Waiting idea{label}",
        submitter__clinic=clinic,
        status=Idea.Status.SUBMITTED,
        submitted_at=at - timedelta(days=2),
    )
    decided = IdeaFactory(
        title=f"Decided idea{label}",
        submitter__clinic=clinic,
        status=Idea.Status.ACCEPTED,
        submitted_at=BEFORE_PERIOD,
        decided_at=at,
    )
    StageChange.objects.create(
        project=project,
        from_stage=Project.Stage.CONCEPT,
        to_stage=Project.Stage.PILOT,
        created_at=at,
    )
    StatusUpdateFactory(
        project=project, health=Project.Health.ON_TRACK, text=f"All fine{label}", created_at=at
    )
    StatusUpdateFactory(
        project=project,
        health=Project.Health.OFF_TRACK,
        text=f"Supplier went bankrupt{label}",
        created_at=at - timedelta(hours=1),
    )
    MilestoneFactory(
        project=project,
        title=f"Overdue milestone{label}",
        due_on=TODAY - timedelta(days=4),
        responsible_party=partner_organisation,
    )
    coming = MilestoneFactory(
        project=project,
        title=f"Coming milestone{label}",
        due_on=TODAY + timedelta(days=3),
        responsible_party=partner_organisation,
        status=Milestone.Status.IN_PROGRESS,
        progress=60,
    )
    partner = PartnerUserFactory(organisation=partner_organisation)
    MilestoneUpdate.objects.create(
        milestone=coming,
        author=partner,
        changes={"progress": [40, 60]},
        comment=f"Prototype delivered{label}",
        created_at=at,
    )
    MilestoneFactory(
        project=project,
        title=f"Completed milestone{label}",
        due_on=TODAY - timedelta(days=5),
        status=Milestone.Status.DONE,
        progress=100,
        completed_on=timezone.localdate(at, STOCKHOLM),
    )
    agreement = agreement_with_parties(
        partner_organisation,
        project=project,
        title=f"Signed agreement{label}",
        status=Agreement.Status.DRAFT,
    )
    agreement.status = Agreement.Status.SIGNED
    agreement.signed_at = at
    agreement.save()
    indicator = ValueIndicatorFactory(project=project, name=f"Waiting time{label}")
    ValueMeasurement.objects.create(
        indicator=indicator,
        value=7,
        measured_on=timezone.localdate(at, STOCKHOLM),
        recorded_by=project.owner,
        created_at=at,
    )
    return {"waiting": staff_idea, "decided": decided}


def foreign_portfolio(*, foreign_clinic, owner):
    project = ProjectFactory(lead_clinic=foreign_clinic, owner=owner, title="Foreign secret")
    StatusUpdateFactory(project=project, text="Foreign update", created_at=IN_PERIOD)
    return project


def build_partnership(*, project, partner_organisation, decided_by, label="", at=IN_PERIOD):
    """An innovation partnership of ``project`` with one digest item of each kind: an overdue
    target, one due within 14 days, one met (never mentioned), a gate decision taken at ``at``,
    an instalment due, one planned with its date passed and one planned later (not mentioned)."""
    agreement = agreement_with_parties(
        partner_organisation,
        project=project,
        title=f"Partnership{label}",
        status=Agreement.Status.SIGNED,
    )
    phase = phase_with_budgets(
        agreement, name=f"Prototype{label}", ceilings={partner_organisation: "2000000"}
    )
    overdue = target_of(
        phase,
        partner_organisation,
        description=f"Overdue target{label}",
        due_on=TODAY - timedelta(days=3),
    )
    target_of(phase, None, description=f"Coming target{label}", due_on=TODAY + timedelta(days=10))
    target_of(phase, None, description=f"Far target{label}", due_on=TODAY + timedelta(days=30))
    target_of(
        phase,
        partner_organisation,
        description=f"Met target{label}",
        due_on=TODAY - timedelta(days=1),
        status=InterimTarget.Status.MET,
        assessed_at=at,
    )
    instalment_of(overdue, partner_organisation, amount="1250000", status=Instalment.Status.DUE)
    instalment_of(
        overdue, partner_organisation, amount="300000.50", planned_on=TODAY - timedelta(days=6)
    )
    instalment_of(
        overdue, partner_organisation, amount="5000", planned_on=TODAY + timedelta(days=6)
    )
    decision = GateDecision.objects.create(
        phase=phase, note="Continue", decided_by=decided_by, decided_at=at
    )
    GateOutcome.objects.create(
        decision=decision,
        organisation=partner_organisation,
        outcome=GateOutcome.Outcome.GO_WITH_CONDITIONS,
        note="Show the safety data",
    )
    GateDecision.objects.create(
        phase=phase, note="Old decision", decided_by=decided_by, decided_at=BEFORE_PERIOD
    )
    return phase
