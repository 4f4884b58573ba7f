"""Adoptions: planned by the leaders who steer the project, moved by them or by the leaders of
the adopting clinic (``evidence.access``).

Naming a clinic makes it one of the project's clinics (``Project.other_clinics``), so its staff
and leaders read the project by the usual rules. The lead clinic is the pilot and has no
adoption; a clinic of another region cannot adopt (the project is its region's).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import Clinic, User
from core.concurrency import check_version
from portfolio.models import Project

from ..access import adoption_can_plan, adoption_can_update
from ..models import Adoption

Status = Adoption.Status

STALE_ADOPTION_MESSAGE = _(
    "Someone else changed this adoption meanwhile. Its current values are shown below: "
    "check them and save again."
)
DUPLICATE_MESSAGE = _("This clinic already has an adoption of the project.")


def _clinic_errors(project: Project, clinic: Clinic) -> dict:
    if clinic.pk == project.lead_clinic_id:
        return {"clinic": _("The lead clinic is the pilot: it needs no adoption.")}
    if clinic.region_id != project.lead_clinic.region_id:
        return {"clinic": _("Only clinics of the project's region can adopt it.")}
    return {}


def _dates_errors(adoption: Adoption) -> dict:
    """What the status asks for and dates no later than today; the order of the dates is the
    model's constraints."""
    errors = {}
    today = timezone.localdate()
    for field in ("started_on", "adopted_on", "abandoned_on"):
        value = getattr(adoption, field)
        if value is not None and value > today:
            errors[field] = _("This date cannot be in the future.")
    status = adoption.status
    if status in (Status.PILOTING, Status.ADOPTED) and adoption.started_on is None:
        errors.setdefault("started_on", _("Give the date the clinic started."))
    if status == Status.ADOPTED and adoption.adopted_on is None:
        errors.setdefault("adopted_on", _("Give the date the clinic adopted it."))
    if status == Status.ABANDONED:
        if not adoption.abandon_reason:
            errors["abandon_reason"] = _("Say why the clinic abandoned it.")
        if adoption.abandoned_on is None:
            errors.setdefault("abandoned_on", _("Give the date the clinic abandoned it."))
    project_start = adoption.project.started_on
    if project_start and adoption.started_on is not None and adoption.started_on < project_start:
        errors.setdefault("started_on", _("An adoption cannot start before the project started."))
    return errors


def _save(adoption: Adoption, actor: User) -> Adoption:
    errors = _dates_errors(adoption)
    if errors:
        raise ValidationError(errors)
    adoption.full_clean()
    adoption._history_user = actor
    try:
        with transaction.atomic():
            adoption.save()
    except IntegrityError as error:  # the same clinic named by someone else a moment ago
        raise ValidationError({"clinic": DUPLICATE_MESSAGE}, code="unique") from error
    return adoption


@transaction.atomic
def adoption_create(
    *,
    project: Project,
    clinic: Clinic,
    actor: User,
    status: str = Status.PLANNED,
    planned_start_on: datetime.date | None = None,
    started_on: datetime.date | None = None,
    adopted_on: datetime.date | None = None,
    abandoned_on: datetime.date | None = None,
    abandon_reason: str = "",
) -> Adoption:
    if not adoption_can_plan(access_for(actor), project):
        raise PermissionDenied
    errors = _clinic_errors(project, clinic)
    if not errors and Adoption.objects.filter(project=project, clinic=clinic).exists():
        errors = {"clinic": DUPLICATE_MESSAGE}
    if errors:
        raise ValidationError(errors)
    adoption = Adoption(
        project=project,
        clinic=clinic,
        status=status,
        planned_start_on=planned_start_on,
        started_on=started_on,
        adopted_on=adopted_on,
        abandoned_on=abandoned_on,
        abandon_reason=(abandon_reason or "").strip(),
    )
    _save(adoption, actor)
    project.other_clinics.add(clinic)
    return adoption


@transaction.atomic
def adoption_update(
    *,
    adoption: Adoption,
    actor: User,
    expected_version: int | str | None,
    status: str,
    planned_start_on: datetime.date | None,
    started_on: datetime.date | None,
    adopted_on: datetime.date | None,
    abandoned_on: datetime.date | None,
    abandon_reason: str = "",
) -> Adoption:
    adoption = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("project__lead_clinic", "clinic")
        .get(pk=adoption.pk)
    )
    if not adoption_can_update(access_for(actor), adoption):
        raise PermissionDenied
    check_version(adoption, expected_version, message=STALE_ADOPTION_MESSAGE)
    adoption.status = status
    adoption.planned_start_on = planned_start_on
    adoption.started_on = started_on
    adoption.adopted_on = adopted_on if status == Status.ADOPTED else None
    adoption.abandoned_on = abandoned_on if status == Status.ABANDONED else None
    adoption.abandon_reason = (abandon_reason or "").strip() if status == Status.ABANDONED else ""
    return _save(adoption, actor)


@transaction.atomic
def adoptions_plan_for_clinics(
    *, project: Project, clinics: list[Clinic], actor: User
) -> list[Adoption]:
    """A planned adoption for each named clinic that has none yet (a scale-up decision)."""
    existing = set(
        Adoption.objects.filter(project=project, clinic__in=clinics).values_list(
            "clinic_id", flat=True
        )
    )
    return [
        adoption_create(project=project, clinic=clinic, actor=actor)
        for clinic in clinics
        if clinic.pk not in existing
    ]
