"""A project's value indicators: defined, changed and retired by the leaders who steer it.

An indicator is retired, never deleted: its measurements stay in the project's history (and
the audit trail keeps every edit), but it no longer counts on the dashboard or takes new
measurements. Measurements are recorded by ``projects.value_measurement_record``.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from portfolio.access import project_can_steer
from portfolio.models import Project, ValueIndicator

STALE_INDICATOR_MESSAGE = _(
    "Someone else changed this indicator meanwhile. Its current values are shown below: "
    "check them and save again."
)


def target_direction_error(*, direction, baseline, target) -> ValidationError | None:
    """Why a target does not fit its baseline and direction, or None. A target equal to the
    baseline can show no progress; a target on the worse side points the wrong way."""
    if baseline is None or target is None or direction not in ValueIndicator.Direction.values:
        return None
    if target == baseline:
        return ValidationError(
            _("The target must differ from the baseline: otherwise no progress can be shown."),
            code="target_is_baseline",
        )
    if direction == ValueIndicator.Direction.HIGHER and target < baseline:
        return ValidationError(
            _("Higher is better: the target must be above the baseline."), code="target_side"
        )
    if direction == ValueIndicator.Direction.LOWER and target > baseline:
        return ValidationError(
            _("Lower is better: the target must be below the baseline."), code="target_side"
        )
    return None


def _require_steering(actor: User, project: Project) -> None:
    if not project_can_steer(access_for(actor), project):
        raise PermissionDenied


def _check(indicator: ValueIndicator) -> None:
    error = target_direction_error(
        direction=indicator.direction, baseline=indicator.baseline, target=indicator.target
    )
    if error is not None:
        raise ValidationError({"target": error})
    duplicate = (
        ValueIndicator.objects.filter(project=indicator.project_id, name=indicator.name)
        .exclude(pk=indicator.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"name": _("The project already has an indicator of this name.")}, code="unique"
        )


@transaction.atomic
def value_indicator_create(
    *,
    project: Project,
    actor: User,
    dimension: str,
    name: str,
    unit: str,
    direction: str,
    baseline: Decimal,
    target: Decimal,
    frequency: str,
) -> ValueIndicator:
    _require_steering(actor, project)
    indicator = ValueIndicator(
        project=project,
        dimension=dimension,
        name=(name or "").strip(),
        unit=(unit or "").strip(),
        direction=direction,
        baseline=baseline,
        target=target,
        frequency=frequency,
    )
    _check(indicator)
    indicator.full_clean()
    indicator._history_user = actor
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError as error:  # the same name saved by someone else a moment ago
        raise ValidationError(
            {"name": _("The project already has an indicator of this name.")}, code="unique"
        ) from error
    return indicator


@transaction.atomic
def value_indicator_update(
    *,
    indicator: ValueIndicator,
    actor: User,
    expected_version: int | str | None,
    dimension: str,
    name: str,
    unit: str,
    direction: str,
    baseline: Decimal,
    target: Decimal,
    frequency: str,
) -> ValueIndicator:
    indicator = (
        ValueIndicator.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=indicator.pk)
    )
    _require_steering(actor, indicator.project)
    check_version(indicator, expected_version, message=STALE_INDICATOR_MESSAGE)
    if indicator.is_retired:
        raise ValidationError(_("This indicator is retired; it cannot be changed."), code="retired")
    indicator.dimension = dimension
    indicator.name = (name or "").strip()
    indicator.unit = (unit or "").strip()
    indicator.direction = direction
    indicator.baseline = baseline
    indicator.target = target
    indicator.frequency = frequency
    _check(indicator)
    indicator.full_clean()
    indicator._history_user = actor
    indicator.save()
    return indicator


@transaction.atomic
def value_indicator_retire(
    *, indicator: ValueIndicator, actor: User, expected_version: int | str | None
) -> ValueIndicator:
    """Stop counting the indicator; it and its measurements stay, read-only."""
    indicator = (
        ValueIndicator.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=indicator.pk)
    )
    _require_steering(actor, indicator.project)
    check_version(indicator, expected_version, message=STALE_INDICATOR_MESSAGE)
    if indicator.is_retired:
        return indicator
    indicator.retired_at = timezone.now()
    indicator._history_user = actor
    indicator.save()
    return indicator
