"""Demo adoptions across clinics: in each region one running project, piloted in its lead
clinic, is adopted by one clinic, piloted by another and abandoned by a third, with the
project's indicators measured in the two that run it, and one scale-up decision naming a
fourth clinic (which gets a planned adoption). The regions get the clinics this needs (found
again by slug).

Written through the evidence services, so the rules and notifications are the product's.
Seeded once per project: a second run finds its adoptions and changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clinics.access import access_for
from clinics.models import Clinic
from evidence.access import adoption_can_plan
from evidence.models import Adoption
from evidence.services.adoptions import adoption_create
from evidence.services.decisions import scale_decide
from evidence.services.measurements import clinic_measurement_record
from portfolio.models import Project

REGIONS = ("vasterbotten", "midtjylland")
TEXT = {
    "sv": {
        "reason": "Personalen saknade tid för upplärning under vintern.",
        "decision": "Resultaten håller på fler kliniker: lösningen sprids vidare.",
    },
    "da": {
        "reason": "Personalet manglede tid til oplæring i vinterperioden.",
        "decision": "Resultaterne holder på flere klinikker: løsningen udbredes.",
    },
}
# region slug → (slug, name, kind, description) of the clinics that take solutions up.
CLINICS = {
    "vasterbotten": [
        ("vannas", "Hälsocentralen Vännäs", "health_centre", "Hälsocentral i Vännäs kommun."),
        ("ersboda", "Tandvårdskliniken Ersboda", "dental", "Folktandvårdens klinik i Umeå."),
    ],
    "midtjylland": [
        ("randers-akut", "Akutmodtagelsen, Regionshospitalet Randers", "hospital_ward", ""),
        ("horsens-akut", "Akutmodtagelsen, Regionshospitalet Horsens", "hospital_ward", ""),
        ("viborg-akut", "Akutmodtagelsen, Regionshospitalet Viborg", "hospital_ward", ""),
    ],
}
# How far each running clinic has come from the baseline towards the target, per measurement.
PROGRESS = {Adoption.Status.ADOPTED: ("0.4", "0.9"), Adoption.Status.PILOTING: ("0.2", "0.5")}


def _project_of(region_slug: str, today):
    """The region's first project (by title) in pilot or later, with indicators, started at
    least 90 days ago, whose owner steers it."""
    projects = (
        Project.objects.filter(
            lead_clinic__region__slug=region_slug,
            stage__in=(
                Project.Stage.PILOT,
                Project.Stage.IMPLEMENTATION,
                Project.Stage.SCALE_UP,
            ),
            started_on__lte=today - timedelta(days=90),
            value_indicators__retired_at__isnull=True,
        )
        .distinct()
        .select_related("lead_clinic__region", "owner")
        .order_by("title")
    )
    for project in projects:
        if adoption_can_plan(access_for(project.owner), project):
            return project
    return None


def seed_adoptions(*, today=None) -> list[Adoption]:
    today = today or timezone.localdate()
    made = []
    for region_slug in REGIONS:
        project = _project_of(region_slug, today)
        if project is None or Adoption.objects.filter(project=project).exists():
            continue
        for slug, name, kind, description in CLINICS[region_slug]:
            Clinic.objects.get_or_create(
                region=project.lead_clinic.region,
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "description": description,
                    "innovation_clinic_since": today - timedelta(days=400),
                },
            )
        clinics = list(
            Clinic.objects.filter(region=project.lead_clinic.region_id)
            .exclude(pk=project.lead_clinic_id)
            .order_by("name")
        )
        if len(clinics) < 3:
            continue
        made += _seed_project(project, clinics, today)
    return made


def _seed_project(project: Project, clinics: list[Clinic], today) -> list[Adoption]:
    leader = project.owner
    text = TEXT[project.lead_clinic.region.language]
    span = min((today - project.started_on).days, 150)
    started = today - timedelta(days=span)
    adopted = adoption_create(
        project=project,
        clinic=clinics[0],
        actor=leader,
        status=Adoption.Status.ADOPTED,
        planned_start_on=started,
        started_on=started,
        adopted_on=started + timedelta(days=span // 2),
    )
    piloting = adoption_create(
        project=project,
        clinic=clinics[1],
        actor=leader,
        status=Adoption.Status.PILOTING,
        planned_start_on=started + timedelta(days=span // 3),
        started_on=started + timedelta(days=span // 3),
    )
    abandoned = adoption_create(
        project=project,
        clinic=clinics[2],
        actor=leader,
        status=Adoption.Status.ABANDONED,
        planned_start_on=started,
        started_on=started,
        abandoned_on=started + timedelta(days=span // 4),
        abandon_reason=text["reason"],
    )
    indicators = list(project.value_indicators.filter(retired_at__isnull=True))
    for adoption in (adopted, piloting):
        for step, fraction in enumerate(PROGRESS[adoption.status], start=1):
            measured_on = adoption.started_on + timedelta(
                days=(today - adoption.started_on).days * step // 2
            )
            for indicator in indicators:
                value = indicator.baseline + (indicator.target - indicator.baseline) * Decimal(
                    fraction
                )
                clinic_measurement_record(
                    adoption=adoption,
                    indicator=indicator,
                    value=value.quantize(Decimal("0.01")),
                    measured_on=measured_on,
                    actor=leader,
                )
    made = [adopted, piloting, abandoned]
    if len(clinics) > 3:
        decision = scale_decide(
            project=project,
            actor=leader,
            outcome="scale_up",
            note=text["decision"],
            clinics=[clinics[3]],
        )
        made += list(Adoption.objects.filter(project=project, clinic__in=decision.clinics.all()))
    return made
