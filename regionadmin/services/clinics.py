"""A region administrator's clinics: create and rename, never delete (ideas, projects and
people point to a clinic)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, Region, User
from core.concurrency import check_version

from .common import name_taken, record_actor, require_region_administrator, unique_slug


def _check_name(*, region: Region, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": ValidationError(_("Give the clinic a name."), "required")})
    if name_taken(Clinic.objects.filter(region=region).exclude(pk=exclude_pk), "name", name):
        raise ValidationError(
            {"name": ValidationError(_("The region already has a clinic of this name."), "unique")}
        )
    return name


@transaction.atomic
def clinic_create(
    *,
    actor: User,
    region: Region,
    name: str,
    kind: str,
    description: str = "",
    innovation_clinic_since: datetime.date | None = None,
    allotted_innovation_hours_per_week: Decimal | None = None,
) -> Clinic:
    require_region_administrator(actor, region)
    name = _check_name(region=region, name=name)
    clinic = Clinic(
        region=region,
        name=name,
        slug=unique_slug(
            name,
            taken=lambda slug: Clinic.objects.filter(region=region, slug=slug).exists(),
            max_length=80,
        ),
        kind=kind,
        description=description.strip(),
        innovation_clinic_since=innovation_clinic_since,
        allotted_innovation_hours_per_week=allotted_innovation_hours_per_week,
    )
    clinic.full_clean()
    record_actor(clinic, actor)
    clinic.save()
    return clinic


@transaction.atomic
def clinic_update(
    *,
    clinic: Clinic,
    actor: User,
    expected_version: int | str | None,
    name: str,
    kind: str,
    description: str = "",
    innovation_clinic_since: datetime.date | None = None,
    allotted_innovation_hours_per_week: Decimal | None = None,
) -> Clinic:
    """Edit a clinic; refused if someone else saved it after the form was opened."""
    clinic = Clinic.objects.select_for_update().get(pk=clinic.pk)
    require_region_administrator(actor, clinic.region_id)
    check_version(
        clinic.version,
        expected_version,
        message=_("Someone else changed this clinic meanwhile. Reload it and edit again."),
    )
    clinic.name = _check_name(region=clinic.region, name=name, exclude_pk=clinic.pk)
    clinic.kind = kind
    clinic.description = description.strip()
    clinic.innovation_clinic_since = innovation_clinic_since
    clinic.allotted_innovation_hours_per_week = allotted_innovation_hours_per_week
    clinic.version += 1
    clinic.full_clean()
    record_actor(clinic, actor)
    clinic.save()
    return clinic
