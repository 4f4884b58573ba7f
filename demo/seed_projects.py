"""Demo data of project set-up: planned dates, budgets, themes, value indicators with
measurements for every hand-written demo project, and a couple of documents.

Called once from ``DemoSeeder.run`` after the projects exist; safe to run again (it fills only
what is missing). It touches the hand-written projects only, so ``seed_demo --scale N`` adds
nothing per generated copy (those get their indicators from ``demo/scale.py``).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from partners.models import AgreementDocument
from portfolio.models import Currency, Project, ProjectDocument, ValueIndicator, ValueMeasurement

# A project without hand-written indicators gets these (dimension, name, unit, direction,
# baseline, target); the n-th project takes one, two or three of them.
GENERIC_INDICATORS = [
    ("care_pathway", "Ledtid från remiss till besök", "dagar", "lower", 42, 21),
    ("staff", "Medarbetare som känner sig delaktiga", "%", "higher", 55, 80),
    ("economy", "Kostnad per patient", "SEK", "lower", 3200, 2600),
]
# One PDF is enough to show a list, a download and a removal.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed_project_plans(seeder) -> None:
    projects = sorted(seeder.projects.values(), key=lambda project: project.pk)
    themes = list(seeder.themes.values())
    for index, project in enumerate(projects):
        _plan(project, index)
        if themes and not project.themes.exists():
            project.themes.set([themes[index % len(themes)]])
        if not project.value_indicators.exists():
            _indicators(seeder, project, index)
    _documents(seeder, projects[:2])


def _plan(project: Project, index: int) -> None:
    if project.budget_amount is not None:
        return
    project.planned_start_on = project.started_on
    project.planned_end_on = project.ended_on or project.started_on + timedelta(days=540)
    project.budget_amount = Decimal(250_000 + 75_000 * (index % 6))
    project.budget_currency = Currency.for_region(project.lead_clinic.region)
    project.full_clean()
    project.save()


def _indicators(seeder, project: Project, index: int) -> None:
    last = project.ended_on or seeder.today
    life = (last - project.started_on).days
    for dimension, name, unit, direction, baseline, target in GENERIC_INDICATORS[: 1 + index % 3]:
        indicator = ValueIndicator(
            project=project,
            dimension=dimension,
            name=name,
            unit="DKK" if unit == "SEK" and project.budget_currency == "DKK" else unit,
            direction=direction,
            baseline=Decimal(baseline),
            target=Decimal(target),
            frequency=ValueIndicator.Frequency.QUARTERLY,
        )
        # Half way and near the end of the project's life so far, moving towards the target.
        steps = [(life // 2, Decimal("0.4")), (max(life - 7, 0), Decimal("0.7"))] if life else []
        values = [
            (project.started_on + timedelta(days=days), baseline + (target - baseline) * share)
            for days, share in steps
        ]
        if values:
            indicator.latest_measured_on, indicator.latest_value = values[-1]
        indicator.full_clean()
        indicator.save()
        ValueMeasurement.objects.bulk_create(
            ValueMeasurement(
                indicator=indicator,
                value=value,
                measured_on=measured_on,
                recorded_by=project.owner,
            )
            for measured_on, value in values
        )


def _documents(seeder, projects) -> None:
    for project in projects:
        if not project.documents.exists():
            document = ProjectDocument(
                project=project,
                original_name="Projektplan.pdf",
                content_type="application/pdf",
                size=len(DEMO_PDF),
                uploaded_by=project.owner,
            )
            document.file.save("projektplan.pdf", ContentFile(DEMO_PDF), save=False)
            document.full_clean()
            document.save()
        agreement = project.agreements.order_by("pk").first()
        if agreement is not None and not agreement.documents.exists():
            document = AgreementDocument(
                agreement=agreement,
                original_name="Undertecknat avtal.pdf",
                content_type="application/pdf",
                size=len(DEMO_PDF),
                uploaded_by=project.owner,
            )
            document.file.save("avtal.pdf", ContentFile(DEMO_PDF), save=False)
            document.full_clean()
            document.save()
