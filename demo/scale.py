"""Generated copies of the demo portfolio for benchmarks: ``seed_demo --scale N``.

Batch ``k`` (2..N) adds, spread over the demo clinics, generated staff members and
``IDEAS_PER_BATCH`` ideas, ``PROJECTS_PER_BATCH`` projects with agreements, ten milestones each,
value indicators and history, all written with ``bulk_create``. Every generated title ends in
``(k.i)`` and every batch is one transaction whose first staff member marks it done, so a second
run with the same (or a smaller) scale creates nothing, and a larger scale adds only the
missing batches. At scale 100 that is over 20,000 ideas, 5,000 projects and 50,000 milestones.
"""

from datetime import timedelta
from decimal import Decimal
from itertools import cycle

from django.contrib.auth.hashers import make_password
from django.db import transaction

from clinics.models import User
from partners.models import Agreement, AgreementParty, Milestone, MilestoneUpdate
from portfolio.models import (
    Idea,
    IdeaStatusChange,
    InnovationTime,
    Project,
    StageChange,
    StatusUpdate,
    ValueIndicator,
    ValueMeasurement,
    gate_criteria_keys,
)

from . import content
from .seed import DemoSeeder, idea_history, milestone_history, stage_path

IDEAS_PER_BATCH = 210
PROJECTS_PER_BATCH = 55
MILESTONES_PER_PROJECT = 10
BATCH_SIZE = 2000

S = Idea.Status
IDEA_STATUSES = list(S.values)
STAGES = list(Project.Stage.values)
HEALTHS = list(Project.Health.values)
MILESTONE_STATUSES = list(Milestone.Status.values)
AGREEMENT_STATUS_FOR_STAGE = {
    "concept": Agreement.Status.DRAFT,
    "development": Agreement.Status.PROPOSED,
    "pilot": Agreement.Status.ACTIVE,
    "implementation": Agreement.Status.ACTIVE,
    "scale_up": Agreement.Status.SIGNED,
    "completed": Agreement.Status.ENDED,
    "stopped": Agreement.Status.ENDED,
}
DECLINE_REASON = {
    "sv": "Avböjd: ligger utanför programmets prioriteringar i år.",
    "da": "Afvist: ligger uden for programmets prioriteringer i år.",
}
AGREEMENT_TITLE = {"sv": "Avtal", "da": "Aftale"}
MILESTONE_TITLE = {"sv": "Delmål", "da": "Delmål"}
STATUS_TEXT = {
    "sv": "Genererad lägesrapport för prestandatester.",
    "da": "Genereret statusopdatering til ydelsestest.",
}


def batch_marker(k: int, clinic_slug: str) -> str:
    return f"demo-{k:03d}-{clinic_slug}"


def seed_scaled(*, seeder: DemoSeeder, scale: int, log=None) -> None:
    for k in range(2, scale + 1):
        first_clinic = next(iter(seeder.clinics))
        if User.objects.filter(username=batch_marker(k, first_clinic)).exists():
            continue
        with transaction.atomic():
            _Batch(seeder, k).run()
        if log and (k % 10 == 0 or k == scale):
            log(f"  generated batch {k} of {scale}")


class _Batch:
    def __init__(self, seeder: DemoSeeder, k: int):
        self.s = seeder
        self.k = k
        self.clinics = list(seeder.clinics.values())
        self.language = {c.pk: c.region.language for c in self.clinics}
        by_region = {"sv": [], "da": []}
        for data in content.IDEAS:
            by_region[seeder.clinics[data["clinic"]].region.language].append(data)
        self.idea_texts = {lang: cycle(rows) for lang, rows in by_region.items()}
        projects = {"sv": [], "da": []}
        for data in content.PROJECTS:
            projects[seeder.clinics[data["clinic"]].region.language].append(data)
        self.project_texts = {lang: cycle(rows) for lang, rows in projects.items()}
        # Partner organisations by region language, so ``partner``/``partner2`` see more too.
        self.organisations = {
            "sv": [
                seeder.organisations[name]
                for name in ("Nordlig Medicinteknik AB", "Norrsken Digital Hälsa AB")
            ],
            "da": [seeder.organisations["Sundhedsdata ApS"]],
        }

    def run(self):
        self.create_staff()
        self.create_ideas()
        self.create_projects()

    # --- people ---------------------------------------------------------------------------
    def create_staff(self):
        unusable = make_password(None)
        self.staff = {
            clinic.pk: User(
                username=batch_marker(self.k, clinic.slug),
                first_name="Demo",
                last_name=f"{self.k}-{clinic.slug}",
                role=User.Role.STAFF,
                clinic=clinic,
                region=clinic.region,
                password=unusable,
                notify_by_email=False,
            )
            for clinic in self.clinics
        }
        User.objects.bulk_create(self.staff.values(), batch_size=BATCH_SIZE)

    # --- ideas ----------------------------------------------------------------------------
    def create_ideas(self):
        now = self.s.now
        plain, merged = [], []
        self.accepted = {clinic.pk: [] for clinic in self.clinics}
        for i in range(IDEAS_PER_BATCH):
            clinic = self.clinics[i % len(self.clinics)]
            language = self.language[clinic.pk]
            status = IDEA_STATUSES[(i // len(self.clinics) + i) % len(IDEA_STATUSES)]
            text = next(self.idea_texts[language])
            days = (i * 7 + self.k * 3) % 700 + 2
            span = timedelta(days=days)
            created = now - span
            idea = Idea(
                title=f"{text['title']} ({self.k}.{i})",
                problem=text["problem"],
                proposal=text.get("proposal", ""),
                clinic=clinic,
                submitter=self.staff[clinic.pk],
                status=status,
                assigned_leader=None if status == S.DRAFT else self.s.leader_for(clinic),
                submitted_at=None if status == S.DRAFT else created + span * 0.1,
                first_response_at=(
                    created + span * 0.4
                    if status in (S.IN_REVIEW, S.NEEDS_INFO, S.ACCEPTED, S.DECLINED, S.MERGED)
                    else None
                ),
                decided_at=created + span * 0.7
                if status in (S.ACCEPTED, S.DECLINED, S.MERGED)
                else None,
                decline_reason=DECLINE_REASON[language] if status == S.DECLINED else "",
                created_at=created,
            )
            (merged if status == S.MERGED else plain).append(idea)
        Idea.objects.bulk_create(plain, batch_size=BATCH_SIZE)
        targets = {}
        for idea in plain:
            if idea.status != S.DRAFT:
                targets.setdefault(idea.clinic_id, idea)
            if idea.status == S.ACCEPTED:
                self.accepted[idea.clinic_id].append(idea)
        for idea in merged:
            idea.merged_into = targets[idea.clinic_id]
        Idea.objects.bulk_create(merged, batch_size=BATCH_SIZE)
        changes = []
        for idea in plain + merged:
            history = idea_history(idea.status)
            for index, (from_status, to_status, who) in enumerate(history):
                when = idea.submitted_at if who == "submitter" else idea.first_response_at
                if index == len(history) - 1 and idea.decided_at and who == "leader":
                    when = idea.decided_at
                changes.append(
                    IdeaStatusChange(
                        idea=idea,
                        from_status=from_status,
                        to_status=to_status,
                        changed_by=idea.submitter if who == "submitter" else idea.assigned_leader,
                        note=idea.decline_reason,
                        created_at=when,
                    )
                )
        IdeaStatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)

    # --- projects -------------------------------------------------------------------------
    def create_projects(self):
        today = self.s.today
        projects = []
        for i in range(PROJECTS_PER_BATCH):
            clinic = self.clinics[i % len(self.clinics)]
            language = self.language[clinic.pk]
            stage = STAGES[(i // len(self.clinics) + i) % len(STAGES)]
            text = next(self.project_texts[language])
            started = today - timedelta(days=30 + (i * 11 + self.k) % 600)
            ideas = self.accepted[clinic.pk]
            projects.append(
                Project(
                    title=f"{text['title']} ({self.k}.{i})",
                    summary=text["summary"],
                    idea=ideas.pop() if ideas else None,
                    lead_clinic=clinic,
                    owner=self.s.leader_for(clinic),
                    stage=stage,
                    health=HEALTHS[(i * 7 + self.k) % len(HEALTHS)],
                    started_on=started,
                    ended_on=today - timedelta(days=5)
                    if stage in (Project.Stage.COMPLETED, Project.Stage.STOPPED)
                    else None,
                )
            )
        Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
        themes = list(self.s.themes.values())
        Project.themes.through.objects.bulk_create(
            [
                Project.themes.through(project_id=project.pk, theme_id=themes[i % len(themes)].pk)
                for i, project in enumerate(projects)
            ],
            batch_size=BATCH_SIZE,
        )
        self.create_stage_changes(projects)
        self.create_agreements(projects)
        self.create_milestones(projects)
        self.create_value_indicators(projects)
        self.create_status_updates_and_time(projects)

    def create_stage_changes(self, projects):
        now = self.s.now
        rows = []
        for project in projects:
            path = stage_path(project.stage)
            first = now - (self.s.today - project.started_on)
            step = (now - first) / len(path)
            rows.extend(
                StageChange(
                    project=project,
                    from_stage=path[index - 1] if index else "",
                    to_stage=stage,
                    # Every gate passed with its whole checklist, as the service requires.
                    criteria_met=gate_criteria_keys(stage) if index else [],
                    decided_by=project.owner,
                    created_at=first + step * index,
                )
                for index, stage in enumerate(path)
            )
        StageChange.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def create_agreements(self, projects):
        self.party_of = {}
        agreements = []
        for i, project in enumerate(projects):
            if i % 5 == 4:
                continue  # some projects have no agreement yet
            agreements.append(
                Agreement(
                    project=project,
                    title=f"{AGREEMENT_TITLE[self.language[project.lead_clinic_id]]} "
                    f"{project.title}",
                    status=Agreement.Status.DRAFT,
                    # A term and a contribution from every party: what a proposal needs.
                    starts_on=project.started_on,
                    ends_on=project.started_on + timedelta(days=3 * 365),
                    created_by=project.owner,
                )
            )
        Agreement.objects.bulk_create(agreements, batch_size=BATCH_SIZE)
        parties = []
        for i, agreement in enumerate(agreements):
            project = agreement.project
            organisations = self.organisations[self.language[project.lead_clinic_id]]
            organisation = organisations[(i + self.k) % len(organisations)]
            self.party_of[project.pk] = organisation
            parties += [
                AgreementParty(
                    agreement=agreement,
                    organisation=None,
                    risk_share=60,
                    value_share=60,
                    contribution_hours=Decimal(400),
                ),
                AgreementParty(
                    agreement=agreement,
                    organisation=organisation,
                    risk_share=40,
                    value_share=40,
                    contribution_hours=Decimal(200 + i),
                ),
            ]
        AgreementParty.objects.bulk_create(parties, batch_size=BATCH_SIZE)
        # Parties first, then the status: the database checks the shares on the status change.
        by_status = {}
        for agreement in agreements:
            status = AGREEMENT_STATUS_FOR_STAGE[agreement.project.stage]
            by_status.setdefault(status, []).append(agreement.pk)
        for status, ids in by_status.items():
            if status == Agreement.Status.DRAFT:
                continue
            signed = status != Agreement.Status.PROPOSED
            Agreement.objects.filter(pk__in=ids).update(
                status=status,
                proposed_at=self.s.now - timedelta(days=20),
                signed_at=self.s.now - timedelta(days=10) if signed else None,
            )

    def create_milestones(self, projects):
        today = self.s.today
        milestones = []
        for i, project in enumerate(projects):
            language = self.language[project.lead_clinic_id]
            for j in range(MILESTONES_PER_PROJECT):
                status = MILESTONE_STATUSES[(i + j) % len(MILESTONE_STATUSES)]
                progress = {
                    Milestone.Status.PLANNED: 0 if j % 2 else 10,
                    Milestone.Status.IN_PROGRESS: (j * 13 + i) % 90 + 5,
                    Milestone.Status.BLOCKED: 30,
                    Milestone.Status.DONE: 100,
                }[status]
                due = today + timedelta(days=(j * 17 + i * 3 + self.k) % 200 - 100)
                history = milestone_history(status, progress)
                milestones.append(
                    Milestone(
                        project=project,
                        title=f"{MILESTONE_TITLE[language]} {j + 1} ({self.k}.{i})",
                        responsible_party=self.party_of.get(project.pk) if j % 2 else None,
                        responsible_leader=project.owner,
                        due_on=due,
                        status=status,
                        progress=progress,
                        completed_on=min(due, today) if status == Milestone.Status.DONE else None,
                        version=1 + len(history),
                    )
                )
        Milestone.objects.bulk_create(milestones, batch_size=BATCH_SIZE)
        updates = []
        for milestone in milestones:
            history = milestone_history(milestone.status, milestone.progress)
            updates.extend(
                MilestoneUpdate(
                    milestone=milestone,
                    author=milestone.project.owner,
                    changes=changes,
                    created_at=self.s.now - timedelta(days=7 * (len(history) - index)),
                )
                for index, changes in enumerate(history)
            )
        MilestoneUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)

    def create_value_indicators(self, projects):
        today = self.s.today
        indicators = []
        for i, project in enumerate(projects):
            for n, dimension in enumerate(
                (ValueIndicator.Dimension.CARE_PATHWAY, ValueIndicator.Dimension.ECONOMY)
            ):
                measured = project.stage != Project.Stage.CONCEPT
                indicators.append(
                    ValueIndicator(
                        project=project,
                        dimension=dimension,
                        name=f"{ValueIndicator.Dimension(dimension).label} {n + 1}",
                        unit="%",
                        baseline=Decimal(50 + i % 20),
                        target=Decimal(80),
                        latest_value=Decimal(60 + i % 15) if measured else None,
                        latest_measured_on=today - timedelta(days=7) if measured else None,
                    )
                )
        ValueIndicator.objects.bulk_create(indicators, batch_size=BATCH_SIZE)
        measurements = []
        for indicator in indicators:
            if indicator.latest_value is None:
                continue
            measurements += [
                ValueMeasurement(
                    indicator=indicator,
                    value=indicator.baseline + 2,
                    measured_on=today - timedelta(days=90),
                    recorded_by=indicator.project.owner,
                ),
                ValueMeasurement(
                    indicator=indicator,
                    value=indicator.latest_value,
                    measured_on=indicator.latest_measured_on,
                    recorded_by=indicator.project.owner,
                ),
            ]
        ValueMeasurement.objects.bulk_create(measurements, batch_size=BATCH_SIZE)

    def create_status_updates_and_time(self, projects):
        monday = self.s.today - timedelta(days=self.s.today.weekday())
        StatusUpdate.objects.bulk_create(
            [
                StatusUpdate(
                    project=project,
                    author=project.owner,
                    health=project.health,
                    text=STATUS_TEXT[self.language[project.lead_clinic_id]],
                )
                for project in projects
            ],
            batch_size=BATCH_SIZE,
        )
        InnovationTime.objects.bulk_create(
            [
                InnovationTime(
                    project=project,
                    person=self.staff[project.lead_clinic_id],
                    week=monday - timedelta(weeks=week),
                    hours=Decimal(2),
                )
                for project in projects
                for week in (1, 2)
            ],
            batch_size=BATCH_SIZE,
        )
