"""A value indicator measured in an adopting clinic.

The same rules as the project's own measurements (``portfolio.services.projects.
value_measurement_record``), with the same words: a retired indicator takes none, none is
dated in the future or after the project ended, and none before the clinic started (an
adoption measures from its own start, as a project does from its).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from portfolio.models import ValueIndicator

from ..access import clinic_measurement_can_record
from ..models import Adoption, ClinicMeasurement


def _date_error(adoption: Adoption, measured_on: datetime.date) -> ValidationError | None:
    project = adoption.project
    if measured_on > timezone.localdate():
        return ValidationError(_("A measurement cannot be dated in the future."), code="future")
    start = max(d for d in (adoption.started_on, project.started_on) if d is not None)
    if measured_on < start:
        return ValidationError(
            _("A measurement cannot be dated before the clinic started (%(date)s)."),
            code="before_start",
            params={"date": date_format(start, "SHORT_DATE_FORMAT")},
        )
    if project.ended_on is not None and measured_on > project.ended_on:
        return ValidationError(
            _("A measurement cannot be dated after the project ended (%(date)s)."),
            code="after_end",
            params={"date": date_format(project.ended_on, "SHORT_DATE_FORMAT")},
        )
    return None


@transaction.atomic
def clinic_measurement_record(
    *,
    adoption: Adoption,
    indicator: ValueIndicator,
    value: Decimal,
    measured_on: datetime.date,
    actor: User,
    note: str = "",
) -> ClinicMeasurement:
    # Lock the adoption: a measurement belongs to it as it is (started, not abandoned).
    adoption = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("project", "clinic")
        .get(pk=adoption.pk)
    )
    if not clinic_measurement_can_record(access_for(actor), adoption):
        raise PermissionDenied
    if not adoption.is_measurable:
        raise ValidationError(
            _("Only a clinic that is piloting or has adopted the solution takes measurements."),
            code="not_started",
        )
    if indicator.project_id != adoption.project_id:
        raise ValidationError(
            {"indicator": _("Choose one of the project's value indicators.")}, code="foreign"
        )
    if indicator.is_retired:
        raise ValidationError(
            {
                "indicator": ValidationError(
                    _("This indicator is retired: it takes no new measurements."),
                    code="retired",
                )
            }
        )
    error = _date_error(adoption, measured_on)
    if error is not None:
        raise ValidationError({"measured_on": error})
    measurement = ClinicMeasurement(
        adoption=adoption,
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        recorded_by=actor,
        note=(note or "").strip(),
    )
    measurement.full_clean()
    measurement._history_user = actor
    measurement.save()
    return measurement
