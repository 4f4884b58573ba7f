"""Setting a project up: a leader starts one directly (not only by accepting an idea) and
changes its plan: title, summary, owner, clinics, themes, planned dates and budget."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import Clinic, User
from core.concurrency import check_version
from portfolio.access import project_can_create_in, project_can_steer
from portfolio.models import Currency, Project, StageChange, Theme

STALE_PROJECT_MESSAGE = _(
    "Someone else changed this project meanwhile. Its current values are shown below: "
    "check them and save again."
)


def project_owner_candidates(regions) -> QuerySet[User]:
    """Who may own a project of one of ``regions`` (region ids, or a query set of regions):
    their active staff and leaders (a partner user never owns the region's project)."""
    return User.objects.filter(
        Q(region__in=regions) | Q(clinic__region__in=regions),
        is_active=True,
        role__in=[User.Role.STAFF, User.Role.LEADER],
    ).order_by("first_name", "last_name", "username")


def _check_plan(
    *,
    lead_clinic: Clinic,
    other_clinics: Iterable[Clinic],
    owner: User,
    current_owner_id: int | None,
    planned_start_on: datetime.date | None,
    planned_end_on: datetime.date | None,
    budget_amount: Decimal | None,
) -> None:
    errors = {}
    if any(clinic.region_id != lead_clinic.region_id for clinic in other_clinics):
        errors["other_clinics"] = ValidationError(
            _("Other clinics must belong to the lead clinic's region."), code="other_region"
        )
    if owner.pk != current_owner_id and not (
        project_owner_candidates([lead_clinic.region_id]).filter(pk=owner.pk).exists()
    ):
        errors["owner"] = ValidationError(
            _("The owner must be a member of staff or a leader of the lead clinic's region."),
            code="owner_region",
        )
    if planned_start_on and planned_end_on and planned_end_on < planned_start_on:
        errors["planned_end_on"] = ValidationError(
            _("The planned end cannot come before the planned start."), code="end_before_start"
        )
    if budget_amount is not None and budget_amount < 0:
        errors["budget_amount"] = ValidationError(
            _("A budget cannot be negative."), code="negative"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    actor: User,
    title: str,
    summary: str,
    lead_clinic: Clinic,
    other_clinics: Iterable[Clinic] = (),
    owner: User,
    themes: Iterable[Theme] = (),
    planned_start_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
    budget_amount: Decimal | None = None,
    budget_currency: str = "",
) -> Project:
    """Start a project in the concept stage, led by a clinic the actor leads."""
    if not project_can_create_in(access_for(actor), lead_clinic.pk):
        raise PermissionDenied
    other_clinics = [clinic for clinic in other_clinics if clinic.pk != lead_clinic.pk]
    _check_plan(
        lead_clinic=lead_clinic,
        other_clinics=other_clinics,
        owner=owner,
        current_owner_id=None,
        planned_start_on=planned_start_on,
        planned_end_on=planned_end_on,
        budget_amount=budget_amount,
    )
    project = Project(
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        lead_clinic=lead_clinic,
        owner=owner,
        stage=Project.Stage.CONCEPT,
        started_on=timezone.localdate(),
        planned_start_on=planned_start_on,
        planned_end_on=planned_end_on,
        budget_amount=budget_amount,
        budget_currency=_currency(budget_amount, budget_currency, lead_clinic),
    )
    project.full_clean()
    project._history_user = actor
    project.save()
    project.other_clinics.set(other_clinics)
    project.themes.set(themes)
    # The first entry of the stage history, as for a project made from an idea.
    change = StageChange(
        project=project,
        from_stage="",
        to_stage=Project.Stage.CONCEPT,
        decided_by=actor,
        note=str(_("Started by a leader.")),
    )
    change.full_clean()
    change.save()
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    actor: User,
    expected_version: int | str | None,
    title: str,
    summary: str,
    lead_clinic: Clinic,
    other_clinics: Iterable[Clinic] = (),
    owner: User,
    themes: Iterable[Theme] = (),
    planned_start_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
    budget_amount: Decimal | None = None,
    budget_currency: str = "",
) -> Project:
    """Change a project's plan. Only a leader who steers it, and who would still steer it
    under the new lead clinic (one cannot hand a project to a clinic one does not lead)."""
    access = access_for(actor)
    if not project_can_steer(access, project):
        raise PermissionDenied
    project = Project.objects.select_for_update().select_related("lead_clinic").get(pk=project.pk)
    check_version(project, expected_version, message=STALE_PROJECT_MESSAGE)
    if not project_can_steer(access, project):
        raise PermissionDenied
    if lead_clinic.pk != project.lead_clinic_id and not project_can_create_in(
        access, lead_clinic.pk
    ):
        raise ValidationError({"lead_clinic": _("Choose a clinic you lead.")}, code="not_led")
    other_clinics = [clinic for clinic in other_clinics if clinic.pk != lead_clinic.pk]
    _check_plan(
        lead_clinic=lead_clinic,
        other_clinics=other_clinics,
        owner=owner,
        current_owner_id=project.owner_id,
        planned_start_on=planned_start_on,
        planned_end_on=planned_end_on,
        budget_amount=budget_amount,
    )
    project.title = (title or "").strip()
    project.summary = (summary or "").strip()
    project.lead_clinic = lead_clinic
    project.owner = owner
    project.planned_start_on = planned_start_on
    project.planned_end_on = planned_end_on
    project.budget_amount = budget_amount
    project.budget_currency = _currency(budget_amount, budget_currency, lead_clinic)
    project.full_clean()
    project._history_user = actor
    project.save()
    project.other_clinics.set(other_clinics)
    project.themes.set(themes)
    return project


def _currency(amount: Decimal | None, currency: str, lead_clinic: Clinic) -> str:
    """No budget, no currency; a budget without one counts in the region's currency."""
    if amount is None:
        return ""
    return currency or Currency.for_region(lead_clinic.region)
