"""Reads for the project page, each scoped through the ``visible_to`` access rules."""

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from clinics.models import User
from portfolio.models import (
    Project,
    ProjectDocument,
    StageChange,
    StatusUpdate,
    ValueIndicator,
    ValueMeasurement,
)

STATUS_UPDATES_SHOWN = 20
MEASUREMENTS_SHOWN = 12


def project_for_user_or_404(user: User, pk: int) -> Project:
    """The project if ``user`` may open it; 404 alike for "missing" and "not yours"."""
    return get_object_or_404(
        Project.objects.visible_to(user).select_related(
            "lead_clinic__region", "owner", "idea__submitter", "idea__clinic"
        ),
        pk=pk,
    )


def project_stage_history(project: Project) -> QuerySet[StageChange]:
    return project.stage_changes.select_related("decided_by").order_by("created_at", "pk")


def project_status_updates(project: Project) -> QuerySet[StatusUpdate]:
    return project.status_updates.select_related("author").order_by("-created_at", "-pk")[
        :STATUS_UPDATES_SHOWN
    ]


def project_value_indicators(project: Project) -> QuerySet[ValueIndicator]:
    """Indicators with their measurements, newest first (two queries); retired ones last."""
    return project.value_indicators.prefetch_related(
        Prefetch(
            "measurements",
            queryset=ValueMeasurement.objects.select_related("recorded_by").order_by(
                "-measured_on", "-pk"
            ),
        )
    ).order_by(F("retired_at").asc(nulls_first=True), "dimension", "name")


def project_documents(project: Project) -> QuerySet[ProjectDocument]:
    """The project's documents, newest first, with who added them (one query)."""
    return project.documents.select_related("uploaded_by").order_by("-created_at", "-pk")
