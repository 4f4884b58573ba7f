"""A portfolio with one of each kind of digest item, around a fixed Monday morning."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from partners.models import Agreement, Milestone, MilestoneUpdate
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
