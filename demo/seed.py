"""Write the demo world of ``content.py`` into the database, idempotently.

Every row is looked up by its natural key first (``get_or_create``), and history rows (status
changes, stage changes, milestone updates, measurements) are written only together with the
row they belong to, so a second run finds everything and writes nothing.

The seed writes models directly instead of going through the services: it recreates a past
(decisions taken months ago, by several people) that the services, which act *now* and notify
people, cannot express. It keeps the same invariants the services keep: ``full_clean()`` on
the main rows, agreement parties written while the agreement is a draft, the indicator's
latest value equal to its newest measurement.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from clinics.models import Clinic, LeaderScope, Region, SupportContact, User
from partners.models import (
    Agreement,
    AgreementParty,
    IncomeEntry,
    IPItem,
    Milestone,
    MilestoneUpdate,
    PartnerMembership,
    PartnerOrganisation,
    Reinvestment,
)
from portfolio.models import (
    Challenge,
    Idea,
    IdeaQuestion,
    IdeaStatusChange,
    InnovationTime,
    Project,
    Review,
    StageChange,
    StatusUpdate,
    Theme,
    ValueIndicator,
    ValueMeasurement,
    gate_criteria_keys,
)

from . import content
from .seed_adoptions import seed_adoptions
from .seed_contributions import seed_contributions
from .seed_cosharing import seed_cosharing
from .seed_discussion import seed_discussion
from .seed_engagement import seed_engagement
from .seed_partnership import seed_partnerships
from .seed_progress import seed_progress
from .seed_projects import seed_project_plans
from .seed_region_admin import seed_region_admin
from .seed_results import seed_results
from .seed_time_team import seed_time_team

S = Idea.Status
STAGE_PATH = [
    Project.Stage.CONCEPT,
    Project.Stage.DEVELOPMENT,
    Project.Stage.PILOT,
    Project.Stage.IMPLEMENTATION,
    Project.Stage.SCALE_UP,
    Project.Stage.COMPLETED,
]
RECOMMENDATION_FOR_STATUS = {
    S.ACCEPTED: Review.Recommendation.ACCEPT,
    S.DECLINED: Review.Recommendation.DECLINE,
    S.NEEDS_INFO: Review.Recommendation.MORE_INFO,
}
CURRENCIES = {region["slug"]: region["currency"] for region in content.REGIONS}
LEADER_ACTIONS = {S.IN_REVIEW, S.NEEDS_INFO, S.ACCEPTED, S.DECLINED, S.MERGED}


def stage_path(stage: str) -> list[str]:
    """The stages a project has passed through to reach ``stage``, in order."""
    if stage == Project.Stage.STOPPED:
        return [Project.Stage.CONCEPT, Project.Stage.DEVELOPMENT, Project.Stage.STOPPED]
    return STAGE_PATH[: STAGE_PATH.index(stage) + 1]


def idea_history(status: str) -> list[tuple[str, str, str]]:
    """(from, to, who) of the status changes that lead a new idea to ``status``.

    ``who`` is "submitter" or "leader"; the steps follow ``idea_lifecycle.ALLOWED_TRANSITIONS``.
    """
    if status == S.DRAFT:
        return []
    steps = [(S.DRAFT, S.SUBMITTED, "submitter")]
    if status in (S.ACCEPTED, S.DECLINED, S.IN_REVIEW):
        steps.append((S.SUBMITTED, S.IN_REVIEW, "leader"))
        if status != S.IN_REVIEW:
            steps.append((S.IN_REVIEW, status, "leader"))
    elif status == S.WITHDRAWN:
        steps.append((S.SUBMITTED, S.WITHDRAWN, "submitter"))
    elif status != S.SUBMITTED:
        steps.append((S.SUBMITTED, status, "leader"))
    return steps


def milestone_history(status: str, progress: int) -> list[dict]:
    """The ``changes`` of the updates that brought a new milestone to ``status``/``progress``."""
    if status == Milestone.Status.PLANNED:
        return [{"progress": [0, progress]}] if progress else []
    if status == Milestone.Status.IN_PROGRESS:
        return [{"status": ["planned", "in_progress"], "progress": [0, progress]}]
    if status == Milestone.Status.BLOCKED:
        return [
            {"status": ["planned", "in_progress"], "progress": [0, progress]},
            {"status": ["in_progress", "blocked"]},
        ]
    return [
        {"status": ["planned", "in_progress"], "progress": [0, 50]},
        {"status": ["in_progress", "done"], "progress": [50, 100]},
    ]


class DemoSeeder:
    """Seeds the hand-written demo world. ``run()`` is safe to call any number of times."""

    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.regions: dict[str, Region] = {}
        self.clinics: dict[str, Clinic] = {}
        self.users: dict[str, User] = {}
        self.themes: dict[str, Theme] = {}
        self.organisations: dict[str, PartnerOrganisation] = {}
        self.challenges: dict[str, Challenge] = {}
        self.ideas: dict[str, Idea] = {}
        self.projects: dict[str, Project] = {}
        self.income: dict[str, IncomeEntry] = {}

    # --- time helpers ---------------------------------------------------------------------
    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def day(self, offset: int):
        return self.today + timedelta(days=offset)

    # --- entry point ----------------------------------------------------------------------
    @transaction.atomic
    def run(self) -> "DemoSeeder":
        self.seed_regions_and_clinics()
        self.seed_support_contacts()
        self.seed_themes()
        self.seed_partner_organisations()
        self.seed_users()
        self.seed_challenges()
        self.seed_ideas()
        self.seed_projects()
        seed_discussion(self)
        seed_partnerships(today=self.today)
        seed_contributions(today=self.today)
        seed_progress()
        seed_time_team(self)
        seed_project_plans(self)
        seed_engagement(self)
        seed_adoptions(today=self.today)
        return self

    # --- clinics --------------------------------------------------------------------------
    def seed_regions_and_clinics(self):
        for data in content.REGIONS:
            region, _ = Region.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "language": data["language"],
                    "time_zone": data["time_zone"],
                },
            )
            self.regions[region.slug] = region
        for region_slug, slug, name, kind, since, description in content.CLINICS:
            clinic, _ = Clinic.objects.get_or_create(
                region=self.regions[region_slug],
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "description": description,
                    "innovation_clinic_since": self.day(-since),
                },
            )
            self.clinics[slug] = clinic

    def seed_support_contacts(self):
        for row in content.SUPPORT_CONTACTS:
            region_slug, clinic_slug, area, name, title, email, phone, how = row
            contact = SupportContact.objects.filter(
                region=self.regions[region_slug],
                clinic=self.clinics.get(clinic_slug),
                area=area,
                name=name,
            ).first()
            if contact is None:
                contact = SupportContact(
                    region=self.regions[region_slug],
                    clinic=self.clinics.get(clinic_slug),
                    area=area,
                    name=name,
                    title=title,
                    email=email,
                    phone=phone,
                    how_to_reach=how,
                )
                contact.full_clean()
                contact.save()

    def seed_themes(self):
        for slug, name in content.THEMES:
            self.themes[slug], _ = Theme.objects.get_or_create(slug=slug, defaults={"name": name})

    def seed_partner_organisations(self):
        for name, kind, number, website, description in content.PARTNER_ORGANISATIONS:
            self.organisations[name], _ = PartnerOrganisation.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "registration_number": number,
                    "website": website,
                    "description": description,
                },
            )

    def seed_users(self):
        for username, first, last, role, clinic_slug, region_slug, can_log_in in content.USERS:
            if role == User.Role.PARTNER:
                # Partner users read the region's language unless they choose another.
                region_slug = content.DEMO_REGION_SLUG
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.partnerskap.example",
                    "role": role,
                    "clinic": self.clinics.get(clinic_slug),
                    "region": self.regions.get(region_slug),
                    "is_staff": role == User.Role.ADMIN,
                    "is_superuser": role == User.Role.ADMIN,
                },
            )
            if created:
                if can_log_in:
                    validate_password(content.DEMO_PASSWORD, user)
                    user.set_password(content.DEMO_PASSWORD)
                else:
                    user.set_unusable_password()
                user.full_clean()
                user.save()
            self.users[username] = user
        for username, (region_slug, clinic_slugs) in content.LEADER_SCOPES.items():
            for clinic in [self.clinics[slug] for slug in clinic_slugs] or [None]:
                LeaderScope.objects.get_or_create(
                    leader=self.users[username], region=self.regions[region_slug], clinic=clinic
                )
        for username, organisation in content.PARTNER_USERS.items():
            PartnerMembership.objects.get_or_create(
                user=self.users[username],
                defaults={"organisation": self.organisations[organisation]},
            )

    # --- ideas ----------------------------------------------------------------------------
    def seed_challenges(self):
        for region_slug, clinic_slug, title, text, by, closes, partners in content.CHALLENGES:
            self.challenges[title], _ = Challenge.objects.get_or_create(
                region=self.regions[region_slug],
                title=title,
                defaults={
                    "clinic": self.clinics.get(clinic_slug),
                    "description": text,
                    "posted_by": self.users[by],
                    "closes_on": None if closes is None else self.day(closes),
                    "open_to_partners": partners,
                    "created_at": self.ago(90),
                },
            )

    def leader_for(self, clinic: Clinic) -> User:
        """The demo leader who handles a clinic's ideas (the clinic's own leader first)."""
        if clinic.slug == "akut":
            return self.users["leader_akut"]
        return self.users["leader_dk" if clinic.region.slug == "midtjylland" else "leader"]

    def seed_ideas(self):
        # Targets of merges first, so ``merged_into`` can point at them.
        ordered = sorted(content.IDEAS, key=lambda data: data["status"] == S.MERGED)
        for data in ordered:
            clinic = self.clinics[data["clinic"]]
            idea = Idea.objects.filter(clinic=clinic, title=data["title"]).first()
            if idea is None:
                idea = self.create_idea(clinic, data)
            self.ideas[idea.title] = idea

    def create_idea(self, clinic: Clinic, data: dict) -> Idea:
        status = data["status"]
        submitter = self.users[data["submitter"]]
        leader = self.leader_for(clinic)
        span = timedelta(days=data["days"])
        created = self.now - span
        moments = {  # submitted, first leader action, decision
            "submitter": created + span * 0.1,
            "leader": created + span * 0.4,
            "decision": created + span * 0.7,
        }
        history = idea_history(status)
        idea = Idea(
            title=data["title"],
            problem=data["problem"],
            proposal=data.get("proposal", ""),
            benefit_patients=data.get("benefit_patients", ""),
            benefit_staff=data.get("benefit_staff", ""),
            benefit_economy=data.get("benefit_economy", ""),
            clinic=clinic,
            challenge=self.challenges.get(data.get("challenge")),
            submitter=submitter,
            status=status,
            assigned_leader=leader if status != S.DRAFT else None,
            submitted_at=moments["submitter"] if history else None,
            first_response_at=moments["leader"] if status in LEADER_ACTIONS else None,
            decided_at=moments["leader"] if status == S.MERGED else None,
            decline_reason=data.get("decline_reason", ""),
            merged_into=self.ideas.get(data.get("merged_into")),
            created_at=created,
        )
        if status in (S.ACCEPTED, S.DECLINED):
            idea.decided_at = moments["decision"]
        idea.full_clean()
        idea.save()
        idea.themes.set([self.themes[slug] for slug in data.get("themes", [])])
        changes = []
        for index, (from_status, to_status, who) in enumerate(history):
            last = index == len(history) - 1
            when = moments[who]
            if last and to_status in (S.ACCEPTED, S.DECLINED):
                when = moments["decision"]
            note = ""
            if to_status == S.DECLINED:
                note = idea.decline_reason
            elif to_status == S.NEEDS_INFO:
                note = data["question"]
            changes.append(
                IdeaStatusChange(
                    idea=idea,
                    from_status=from_status,
                    to_status=to_status,
                    changed_by=submitter if who == "submitter" else leader,
                    note=note,
                    created_at=when,
                )
            )
        IdeaStatusChange.objects.bulk_create(changes)
        if status == S.NEEDS_INFO:
            answer = data.get("answer", "")
            IdeaQuestion.objects.create(
                idea=idea,
                asked_by=leader,
                question=data["question"],
                answer=answer,
                answered_at=self.now if answer else None,
                created_at=moments["leader"],
            )
        if data.get("review") and status != S.DRAFT:
            scores = dict(zip(Review.CRITERIA, data["review"], strict=True))
            Review.objects.create(
                idea=idea,
                reviewer=leader,
                recommendation=RECOMMENDATION_FOR_STATUS.get(
                    status, Review.Recommendation.UNDECIDED
                ),
                created_at=moments["leader"],
                **scores,
            )
        return idea

    # --- projects -------------------------------------------------------------------------
    def seed_projects(self):
        for data in content.PROJECTS:
            clinic = self.clinics[data["clinic"]]
            project = Project.objects.filter(lead_clinic=clinic, title=data["title"]).first()
            if project is None:
                project = self.create_project(clinic, data)
            self.projects[project.title] = project
        for data in content.PROJECTS:
            project = self.projects[data["title"]]
            for agreement_data in data.get("agreements", []):
                self.seed_agreement(project, agreement_data)
            self.seed_milestones(project, content.MILESTONES.get(project.title, []))
            self.seed_value_indicators(project, content.VALUE_INDICATORS.get(project.title, []))
            self.seed_status_updates(project, content.STATUS_UPDATES.get(project.title, []))
            self.seed_innovation_time(project, content.INNOVATION_TIME.get(project.title, []))
        self.seed_reinvestment()

    def create_project(self, clinic: Clinic, data: dict) -> Project:
        owner = self.users[data["owner"]]
        started = self.day(-data["days"])
        ended = self.day(-data["ended"]) if "ended" in data else None
        project = Project(
            title=data["title"],
            summary=data["summary"],
            idea=self.ideas.get(data.get("idea")),
            lead_clinic=clinic,
            owner=owner,
            stage=data["stage"],
            health=data["health"],
            started_on=started,
            ended_on=ended,
            created_at=self.ago(data["days"]),
        )
        project.full_clean()
        project.save()
        project.other_clinics.set([self.clinics[slug] for slug in data.get("other_clinics", [])])
        project.themes.set([self.themes[slug] for slug in data.get("themes", [])])
        path = stage_path(data["stage"])
        first = self.ago(data["days"])
        last = self.ago(data.get("ended", 7))
        step = (last - first) / max(len(path) - 1, 1)
        StageChange.objects.bulk_create(
            StageChange(
                project=project,
                from_stage=path[index - 1] if index else "",
                to_stage=stage,
                # Every gate passed with its whole checklist, as the service requires.
                criteria_met=gate_criteria_keys(stage) if index else [],
                decided_by=owner,
                note="" if index else project.summary,
                created_at=first + step * index,
            )
            for index, stage in enumerate(path)
        )
        return project

    def seed_agreement(self, project: Project, data: dict) -> Agreement:
        version = data.get("version", 1)
        agreement = Agreement.objects.filter(
            project=project, title=data["title"], version=version
        ).first()
        if agreement is None:
            agreement = self.create_agreement(project, data, version)
        currency = CURRENCIES[project.lead_clinic.region.slug]
        ip_items = []
        for kind, title, reference, filed in data.get("ip", []):
            item, _ = IPItem.objects.get_or_create(
                agreement=agreement,
                kind=kind,
                title=title,
                defaults={"reference": reference, "filed_on": self.day(-filed)},
            )
            ip_items.append(item)
        for amount, received, description, ip_index in data.get("income", []):
            self.income[description], _ = IncomeEntry.objects.get_or_create(
                agreement=agreement,
                description=description,
                defaults={
                    "ip_item": ip_items[ip_index] if ip_items else None,
                    "amount": Decimal(amount),
                    "currency": currency,
                    "received_on": self.day(-received),
                },
            )
        return agreement

    def create_agreement(self, project: Project, data: dict, version: int) -> Agreement:
        status = data["status"]
        starts = self.day(-data["days"])
        ends = None
        if status == Agreement.Status.ENDED:
            # The first version of a renewed agreement ends when the next one starts.
            renewal = next(
                (
                    a
                    for p in content.PROJECTS
                    if p["title"] == project.title
                    for a in p.get("agreements", [])
                    if a["title"] == data["title"] and a.get("version", 1) == version + 1
                ),
                None,
            )
            ends = self.day(-(renewal["days"] if renewal else 60))
        elif status != Agreement.Status.DRAFT:
            ends = starts + timedelta(days=3 * 365)
        agreement = Agreement(
            project=project,
            title=data["title"],
            version=version,
            previous_version=Agreement.objects.filter(
                project=project, title=data["title"], version=version - 1
            ).first(),
            status=Agreement.Status.DRAFT,
            responsibilities=project.summary,
            starts_on=starts if status != Agreement.Status.DRAFT else None,
            ends_on=ends,
            created_by=project.owner,
            created_at=self.ago(data["days"] + 30),
        )
        agreement.full_clean()
        agreement.save()
        # Parties first, while the agreement is a draft: the database refuses a non-draft
        # agreement whose shares do not each sum to 100.
        members = {
            m.organisation_id: m.user
            for m in PartnerMembership.objects.select_related("user").filter(
                organisation__name__in=[name for name in data["parties"] if name]
            )
        }
        signed = status in (
            Agreement.Status.SIGNED,
            Agreement.Status.ACTIVE,
            Agreement.Status.ENDED,
        )
        signed_at = self.ago(max(data["days"] - 10, 1)) if signed else None
        for name, (risk, value, hours, money, knowledge) in data["parties"].items():
            organisation = self.organisations[name] if name else None
            party = AgreementParty(
                agreement=agreement,
                organisation=organisation,
                contribution_hours=Decimal(hours),
                contribution_money=Decimal(money),
                contribution_knowledge=knowledge,
                risk_share=Decimal(risk),
                value_share=Decimal(value),
                confirmed_at=signed_at,
                confirmed_by=members.get(organisation.pk) if organisation and signed else None,
            )
            party.full_clean()
            party.save()
        if status != Agreement.Status.DRAFT:
            agreement.status = status
            agreement.proposed_at = self.ago(data["days"])
            agreement.signed_at = signed_at
            agreement.full_clean()
            agreement.save()
        return agreement

    def seed_milestones(self, project: Project, rows):
        authors = {
            m.organisation_id: m.user
            for m in PartnerMembership.objects.select_related("user").all()
        }
        for title, responsible, due, status, progress, confirmed in rows:
            if Milestone.objects.filter(project=project, title=title).exists():
                continue
            organisation = self.organisations[responsible] if responsible else None
            history = milestone_history(status, progress)
            done = status == Milestone.Status.DONE
            milestone = Milestone(
                project=project,
                title=title,
                responsible_party=organisation,
                responsible_leader=project.owner,
                due_on=self.day(due),
                status=status,
                progress=progress,
                completed_on=self.day(min(due, 0)) if done else None,
                confirmed_at=self.ago(max(-due, 1)) if confirmed else None,
                confirmed_by=project.owner if confirmed else None,
                version=1 + len(history) + (1 if confirmed else 0),
                created_at=self.ago(max(-due, 0) + 60),
            )
            milestone.full_clean()
            milestone.save()
            author = authors.get(organisation.pk) if organisation else None
            author = author or project.owner
            latest = max(-due, 1) + 1
            updates = [
                MilestoneUpdate(
                    milestone=milestone,
                    author=author,
                    kind=MilestoneUpdate.Kind.UPDATE,
                    changes=changes,
                    comment=_milestone_comment(project, changes),
                    created_at=self.ago(latest + 14 * (len(history) - index)),
                )
                for index, changes in enumerate(history)
            ]
            if confirmed:
                updates.append(
                    MilestoneUpdate(
                        milestone=milestone,
                        author=project.owner,
                        kind=MilestoneUpdate.Kind.CONFIRM,
                        changes={},
                        created_at=milestone.confirmed_at,
                    )
                )
            MilestoneUpdate.objects.bulk_create(updates)

    def seed_value_indicators(self, project: Project, rows):
        for dimension, name, unit, baseline, target, measurements in rows:
            if ValueIndicator.objects.filter(project=project, name=name).exists():
                continue
            indicator = ValueIndicator(
                project=project,
                dimension=dimension,
                name=name,
                unit=unit,
                baseline=Decimal(str(baseline)),
                target=Decimal(str(target)),
                direction=ValueIndicator.Direction.LOWER
                if target < baseline
                else ValueIndicator.Direction.HIGHER,
            )
            if measurements:
                newest_days, newest_value = min(measurements)
                indicator.latest_value = Decimal(str(newest_value))
                indicator.latest_measured_on = self.day(-newest_days)
            indicator.full_clean()
            indicator.save()
            ValueMeasurement.objects.bulk_create(
                ValueMeasurement(
                    indicator=indicator,
                    value=Decimal(str(value)),
                    measured_on=self.day(-days),
                    recorded_by=project.owner,
                    created_at=self.ago(days),
                )
                for days, value in measurements
            )

    def seed_status_updates(self, project: Project, rows):
        for days, health, text in rows:
            StatusUpdate.objects.get_or_create(
                project=project,
                text=text,
                defaults={"author": project.owner, "health": health, "created_at": self.ago(days)},
            )

    def seed_innovation_time(self, project: Project, rows):
        monday = self.today - timedelta(days=self.today.weekday())
        for username, hours in rows:
            person = self.users[username]
            if InnovationTime.objects.filter(project=project, person=person).exists():
                continue
            InnovationTime.objects.bulk_create(
                InnovationTime(
                    project=project,
                    person=person,
                    week=monday - timedelta(weeks=week),
                    hours=Decimal(str(hours)),
                )
                for week in range(1, content.INNOVATION_TIME_WEEKS + 1)
            )

    def seed_reinvestment(self):
        # The region reinvests part of its IP income in new work (Region Midtjylland's rule 2).
        income = self.income.get("Royalty")
        if income is not None:
            Reinvestment.objects.get_or_create(
                income=income,
                project=self.projects["AI-stöd för kariesdiagnostik"],
                defaults={"amount": Decimal("30000"), "note": "Återinvestering av royalty"},
            )


def _milestone_comment(project: Project, changes: dict) -> str:
    danish = project.lead_clinic.region.language == "da"
    status = changes.get("status", [None, None])[1]
    if status == "blocked":
        return "Venter på leverandøren." if danish else "Väntar på leverantören."
    if status == "done":
        return "Færdig og afleveret." if danish else "Klart och levererat."
    return "Arbejdet er i gang." if danish else "Arbetet pågår."


def seed_demo(*, scale: int = 1, log=None) -> DemoSeeder:
    """Seed the demo world, and ``scale - 1`` generated copies of its portfolio on top."""
    seeder = DemoSeeder().run()
    seed_region_admin()
    seed_cosharing(today=seeder.today)
    seed_results()
    if scale > 1:
        from .scale import seed_scaled

        seed_scaled(seeder=seeder, scale=scale, log=log)
    return seeder


def demo_exists() -> bool:
    return Region.objects.filter(slug=content.DEMO_REGION_SLUG).exists()
