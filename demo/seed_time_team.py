"""Demo data of innovation time and project teams: Tandvårdskliniken Idun's weekly allotment,
hours of this week (``DemoSeeder.seed_innovation_time`` seeds six earlier weeks of the named
projects), a team on projects in every clinic, and the demo staff user's request to join."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clinics.models import Clinic
from portfolio.models import InnovationTime, Project, ProjectMember

# Idun sets aside innovation time for its staff every week (DOMAIN.md).
IDUN_ALLOTTED_HOURS_PER_WEEK = Decimal("40")
# username → project title → hours this week
THIS_WEEK = {
    "staff": {"Digital triage av akuta tandbesvär": Decimal("2.5")},
    "anna.berg": {"AI-stöd för kariesdiagnostik": Decimal("1.75")},
    "staff_dk": {"Videokonsultation i akutmodtagelsen": Decimal("1.5")},
}


LEAD, MEMBER, FOLLOWER = (
    ProjectMember.Role.LEAD,
    ProjectMember.Role.MEMBER,
    ProjectMember.Role.FOLLOWER,
)
# project title → (username, role) of its team, one project or more in every clinic
TEAMS = {
    "Digital triage av akuta tandbesvär": [
        ("leader", LEAD),
        ("staff", MEMBER),
        ("anna.berg", MEMBER),
        ("staff2", FOLLOWER),  # Bjurholm takes part in the project
    ],
    "AI-stöd för kariesdiagnostik": [("leader", LEAD), ("anna.berg", MEMBER)],
    "Läkemedelsgenomgång med farmaceut": [("leader_akut", LEAD), ("johan.nilsson", MEMBER)],
    "Tidig varning för sepsis": [("leader_akut", LEAD), ("johan.nilsson", MEMBER)],
    "Virtuellt vårdrum i Bjurholm": [("leader", LEAD), ("staff2", MEMBER)],
    "Digital genoptræning efter hofteoperation": [("leader_dk", LEAD), ("lars.jensen", MEMBER)],
    "Videokonsultation i akutmodtagelsen": [("leader_dk", LEAD), ("staff_dk", MEMBER)],
}
# The demo staff user has asked to join Idun's AI project: a leader answers it on its page.
JOIN_REQUEST = ("staff", "AI-stöd för kariesdiagnostik")


def seed_time_team(seeder) -> None:
    Clinic.objects.filter(
        pk=seeder.clinics["idun"].pk, allotted_innovation_hours_per_week__isnull=True
    ).update(allotted_innovation_hours_per_week=IDUN_ALLOTTED_HOURS_PER_WEEK)
    monday = seeder.today - timedelta(days=seeder.today.weekday())
    for username, hours_by_project in THIS_WEEK.items():
        person = seeder.users[username]
        for title, hours in hours_by_project.items():
            project = seeder.projects.get(title)
            if project is None or project.stage not in Project.ACTIVE_STAGES:
                continue
            InnovationTime.objects.get_or_create(
                project=project, person=person, week=monday, defaults={"hours": hours}
            )
    now = timezone.now()
    for title, members in TEAMS.items():
        project = seeder.projects.get(title)
        if project is None:
            continue
        for username, role in members:
            ProjectMember.objects.get_or_create(
                project=project,
                user=seeder.users[username],
                defaults={"role": role, "accepted_at": now},
            )
    username, title = JOIN_REQUEST
    if title in seeder.projects:
        ProjectMember.objects.get_or_create(
            project=seeder.projects[title], user=seeder.users[username]
        )
