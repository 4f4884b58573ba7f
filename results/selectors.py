"""What the public sees of published results: one shape (``public_rows``) for the pages, the
feed and the open data, so none of them can show more than the others.

Only the publication's own texts, the project's title-free facts (stage, clinics, region,
themes), the published value indicators and the partner *organisations'* names (of the current
agreements) are read. Never a person, a share, an amount or a document.
"""

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from clinics.models import Clinic, Region
from partners.models import Agreement, AgreementParty
from portfolio.models import Project, Theme, ValueIndicator

from .models import Publication

PAGE_SIZE = 20
PAGE_SIZE_MAX = 50


def published_results() -> QuerySet[Publication]:
    """Every published result, newest first, with what its rows read (constant queries)."""
    return (
        Publication.objects.published()
        .select_related("project__lead_clinic__region")
        .prefetch_related(
            Prefetch("project__other_clinics", queryset=Clinic.objects.order_by("name")),
            Prefetch("project__themes", queryset=Theme.objects.order_by("name")),
            Prefetch(
                "indicators",
                queryset=ValueIndicator.objects.filter(retired_at__isnull=True).order_by(
                    "dimension", "name"
                ),
            ),
        )
        .order_by("-published_at", "-pk")
    )


def published_result_or_404(slug: str) -> Publication:
    """A published result by its address; an unpublished or unknown one answers 404 alike."""
    return get_object_or_404(published_results(), slug=slug)


def results_filtered(
    results: QuerySet[Publication], *, region=None, clinic=None, theme=None, stage=None
) -> QuerySet[Publication]:
    if region is not None:
        results = results.filter(project__lead_clinic__region=region)
    if clinic is not None:
        # Led by the clinic or joined by it; a subquery keeps each result once.
        results = results.filter(
            project__in=Project.objects.filter(Q(lead_clinic=clinic) | Q(other_clinics=clinic))
        )
    if theme is not None:
        results = results.filter(project__themes=theme)
    if stage:
        results = results.filter(project__stage=stage)
    return results


def filter_choices() -> dict:
    """The regions, clinics and themes that have a published result (three queries)."""
    published = Publication.objects.published()
    projects = Project.objects.filter(publication__in=published)
    return {
        "regions": Region.objects.filter(clinics__led_projects__in=projects).distinct(),
        "clinics": Clinic.objects.filter(
            Q(led_projects__in=projects) | Q(joined_projects__in=projects)
        )
        .distinct()
        .select_related("region")
        .order_by("region__name", "name"),
        "themes": Theme.objects.filter(projects__in=projects).distinct(),
    }


def _partner_names(project_ids: list[int]) -> dict[int, list[str]]:
    """The organisations party to each project's current agreements: names only (one query)."""
    names: dict[int, set[str]] = {}
    rows = (
        AgreementParty.objects.filter(
            agreement__in=Agreement.objects.current(),
            agreement__project_id__in=project_ids,
            organisation__isnull=False,
        )
        .values_list("agreement__project_id", "organisation__name")
        .distinct()
    )
    for project_id, name in rows:
        names.setdefault(project_id, set()).add(name)
    return {project_id: sorted(found) for project_id, found in names.items()}


def _number(value: Decimal | None) -> Decimal | None:
    """``12.50`` → ``12.5``, ``100.00`` → ``100`` (never ``1E+2``)."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def public_row(publication: Publication, *, indicators, partners: list[str]) -> dict:
    """What the public reads of one result, in the active language (the preview shows an
    unsaved one the same way)."""
    project = publication.project
    return {
        "slug": publication.slug,
        "url": reverse("results:detail", kwargs={"slug": publication.slug})
        if publication.slug
        else "",
        "title": publication.title,
        "summary": publication.display_summary,
        "patient_change": publication.display_patient_change,
        "region": project.lead_clinic.region.name,
        "clinics": [project.lead_clinic.name, *(c.name for c in project.other_clinics.all())],
        "themes": [theme.display_name for theme in project.themes.all()],
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "indicators": [
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "dimension": indicator.get_dimension_display(),
                "baseline": _number(indicator.baseline),
                "latest": _number(indicator.latest_value),
                "latest_measured_on": indicator.latest_measured_on,
                "target": _number(indicator.target),
            }
            for indicator in indicators
        ],
        "partners": partners,
        "published_at": publication.published_at,
        "updated_at": publication.updated_at,
    }


def public_rows(publications) -> list[dict]:
    """The rows of ``publications`` (from ``published_results``): five queries in all."""
    publications = list(publications)
    partners = _partner_names([p.project_id for p in publications])
    return [
        public_row(p, indicators=p.indicators.all(), partners=partners.get(p.project_id, []))
        for p in publications
    ]


def preview_row(project: Project, *, fields: dict, indicators) -> dict:
    """The public page of a result as it would be published from the form's values."""
    publication = Publication(project=project, **fields)
    return public_row(
        publication,
        indicators=sorted(indicators, key=lambda i: (i.dimension, i.name)),
        partners=_partner_names([project.pk]).get(project.pk, []),
    )
