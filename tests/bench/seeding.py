"""Bulk seeding for the dashboard benchmark (PostgreSQL).

Writes a region of 40 clinics with 20,000 ideas, 5,000 projects, 50,000 milestones, 5,000
agreements with their parties and 10,000 value indicators, plus a second region that the
benchmarked leader must not see. ``bulk_create`` in large batches: a few tens of seconds.
When ``seed_demo --scale`` (issue 2) is on main, this helper can be swapped for it.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from clinics.models import Clinic, LeaderScope, Region, User
from partners.models import Agreement, AgreementParty, Milestone, PartnerOrganisation
from portfolio.models import Idea, Project, Theme, ValueIndicator

BATCH = 5000


@transaction.atomic
def seed_bench(
    *,
    ideas: int = 20_000,
    projects: int = 5_000,
    milestones_per_project: int = 10,
    seed: int = 4,
) -> User:
    """Seed the data; returns the region-wide leader whose dashboard is measured."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password("bench-password-not-secret")

    region = Region.objects.create(name="Bench region", slug="bench", language="en")
    other = Region.objects.create(name="Other bench region", slug="bench-other", language="en")
    clinics = Clinic.objects.bulk_create(
        [Clinic(region=region, name=f"Clinic {i}", slug=f"clinic-{i}") for i in range(40)]
        + [Clinic(region=other, name=f"Other clinic {i}", slug=f"o-clinic-{i}") for i in range(10)]
    )
    leader = User.objects.create(
        username="bench-leader", role=User.Role.LEADER, region=region, password=password
    )
    LeaderScope.objects.create(leader=leader, region=region)
    staff = User.objects.bulk_create(
        [
            User(
                username=f"bench-staff-{i}",
                role=User.Role.STAFF,
                clinic=clinics[i % len(clinics)],
                region=clinics[i % len(clinics)].region,
                password=password,
            )
            for i in range(300)
        ]
    )
    themes = Theme.objects.bulk_create(
        [Theme(slug=f"bench-theme-{i}", name=f"Theme {i}") for i in range(8)]
    )
    partners = PartnerOrganisation.objects.bulk_create(
        [
            PartnerOrganisation(name=f"Bench partner {i}", kind=PartnerOrganisation.Kind.COMPANY)
            for i in range(300)
        ]
    )

    statuses = (
        [Idea.Status.SUBMITTED] * 10
        + [Idea.Status.IN_REVIEW] * 5
        + [Idea.Status.NEEDS_INFO] * 5
        + [Idea.Status.ACCEPTED] * 30
        + [Idea.Status.DECLINED] * 25
        + [Idea.Status.DRAFT] * 15
        + [Idea.Status.WITHDRAWN] * 10
    )
    idea_rows = []
    for i in range(ideas):
        submitter = staff[i % len(staff)]
        status = rng.choice(statuses)
        submitted = (
            None
            if status == Idea.Status.DRAFT
            else now - datetime.timedelta(days=rng.uniform(0, 720))
        )
        responded = (
            submitted + datetime.timedelta(days=rng.uniform(0.1, 30))
            if submitted and status not in (Idea.Status.SUBMITTED, Idea.Status.WITHDRAWN)
            else None
        )
        idea_rows.append(
            Idea(
                title=f"Idea {i} about patient flow and digital follow-up",
                problem="Patients wait too long for their results and call the clinic.",
                clinic_id=submitter.clinic_id,
                submitter=submitter,
                status=status,
                submitted_at=submitted,
                first_response_at=responded,
                decided_at=responded
                if status in (Idea.Status.ACCEPTED, Idea.Status.DECLINED)
                else None,
                decline_reason="Out of scope" if status == Idea.Status.DECLINED else "",
            )
        )
    idea_objects = Idea.objects.bulk_create(idea_rows, batch_size=BATCH)
    accepted = [idea for idea in idea_objects if idea.status == Idea.Status.ACCEPTED]

    project_rows = []
    for i in range(projects):
        idea = accepted[i] if i < len(accepted) else None
        clinic = Clinic(pk=idea.clinic_id) if idea else rng.choice(clinics)
        stage = rng.choice(Project.Stage.values)
        started = today - datetime.timedelta(days=rng.randint(30, 900))
        project_rows.append(
            Project(
                title=idea.title.replace("Idea", "Project") if idea else f"Project {i} on care",
                summary="Digital follow-up of patients after discharge, with partners.",
                idea=idea,
                lead_clinic_id=clinic.pk,
                owner=leader,
                stage=stage,
                health=rng.choice(Project.Health.values),
                started_on=started,
                ended_on=today if stage in ("completed", "stopped") else None,
            )
        )
    project_objects = Project.objects.bulk_create(project_rows, batch_size=BATCH)
    Project.themes.through.objects.bulk_create(
        [
            Project.themes.through(project_id=project.pk, theme_id=theme.pk)
            for project in project_objects
            for theme in rng.sample(themes, rng.randint(1, 2))
        ],
        batch_size=BATCH,
    )

    milestone_rows = []
    for project in project_objects:
        for m in range(milestones_per_project):
            status = rng.choice(Milestone.Status.values)
            milestone_rows.append(
                Milestone(
                    project=project,
                    title=f"Milestone {m}",
                    responsible_party=rng.choice(partners),
                    due_on=today + datetime.timedelta(days=rng.randint(-200, 200)),
                    status=status,
                    progress=100 if status == Milestone.Status.DONE else rng.randint(0, 90),
                )
            )
    Milestone.objects.bulk_create(milestone_rows, batch_size=BATCH)

    # Agreements go in with their final status: the share triggers are deferred to commit on
    # PostgreSQL, and by then every agreement has parties that sum to 100.
    agreement_rows = []
    for project in project_objects:
        status = rng.choice(Agreement.Status.values)
        agreement_rows.append(
            Agreement(
                project=project,
                title="Partnership agreement",
                status=status,
                created_by=leader,
                signed_at=now if status in ("signed", "active", "ended") else None,
            )
        )
    agreement_objects = Agreement.objects.bulk_create(agreement_rows, batch_size=BATCH)
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(
                agreement=agreement,
                organisation=organisation,
                risk_share=Decimal(50),
                value_share=Decimal(50),
            )
            for agreement in agreement_objects
            for organisation in (None, rng.choice(partners))
        ],
        batch_size=BATCH,
    )

    indicator_rows = []
    for project in project_objects:
        for n, dimension in enumerate(rng.sample(ValueIndicator.Dimension.values, 2)):
            measured = rng.random() < 0.7
            indicator_rows.append(
                ValueIndicator(
                    project=project,
                    dimension=dimension,
                    name=f"Indicator {n}",
                    unit="days",
                    baseline=Decimal(20),
                    target=Decimal(10),
                    latest_value=Decimal(rng.randint(5, 25)) if measured else None,
                    latest_measured_on=today if measured else None,
                )
            )
    ValueIndicator.objects.bulk_create(indicator_rows, batch_size=BATCH)
    return leader
