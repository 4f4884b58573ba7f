"""Demo data of innovation time: Tandvårdskliniken Idun's weekly allotment, and hours of this
week and of earlier weeks in every clinic (``DemoSeeder.seed_innovation_time`` seeds six weeks
of the named projects; this adds the current week, which staff can still change)."""

from datetime import timedelta
from decimal import Decimal

from clinics.models import Clinic
from portfolio.models import InnovationTime, Project

# Idun sets aside innovation time for its staff every week (DOMAIN.md).
IDUN_ALLOTTED_HOURS_PER_WEEK = Decimal("40")
# username → project title → hours this week
THIS_WEEK = {
    "staff": {"Digital triage av akuta tandbesvär": Decimal("2.5")},
    "anna.berg": {"AI-stöd för kariesdiagnostik": Decimal("1.75")},
    "staff_dk": {"Videokonsultation i akutmodtagelsen": Decimal("1.5")},
}


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
