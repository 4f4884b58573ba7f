"""Steering a project: gate decisions, status updates with health, value measurements."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from portfolio.access import project_can_steer
from portfolio.models import (
    GATE_CRITERIA,
    Project,
    StageChange,
    StatusUpdate,
    ValueIndicator,
    ValueMeasurement,
    stage_next_stages,
)

from ..measurement_hooks import measurement_recorded
from .ideas import idea_notify_project_stage_change
from .team import project_team_notify_stage_change

ENDED_STAGES = frozenset({Project.Stage.COMPLETED, Project.Stage.STOPPED})


def _require_steering(actor: User, project: Project) -> None:
    if not project_can_steer(access_for(actor), project):
        raise PermissionDenied


@transaction.atomic
def project_change_stage(
    *,
    project: Project,
    to_stage: str,
    actor: User,
    note: str,
    expected_version: int | str | None,
    criteria_met: Iterable[str] = (),
) -> Project:
    """Move the project through a gate, with the decision note kept in its history.

    A gate moves one step forward (``stage_next_stages``) or stops the project, and passes only
    with every criterion of the gate ticked (``GATE_CRITERIA``): the ticked keys are kept on the
    stage change. ``expected_version`` is the project's ``version`` on the page the leader
    decided on: if anything changed the project since (another gate, a status update, an
    edit), or the form does not say, the change is refused instead of silently overriding
    theirs.
    """
    _require_steering(actor, project)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write a short gate decision note.")}, code="required")
    if to_stage not in Project.Stage.values:
        raise ValidationError({"to_stage": _("Choose a stage.")}, code="invalid")
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(
        project,
        expected_version,
        message=_(
            "Someone else changed this project meanwhile; it is now in the stage "
            "“%(stage)s”. Check it as it is now and decide again."
        ),
        params={"stage": Project.Stage(project.stage).label},
    )
    if project.stage == to_stage:
        raise ValidationError(
            {"to_stage": _("The project is already in this stage.")}, code="unchanged"
        )
    if to_stage not in stage_next_stages(project.stage):
        raise ValidationError(
            {
                "to_stage": ValidationError(
                    _(
                        "A gate moves a project one stage forward or stops it: from "
                        "“%(stage)s” it can go to %(allowed)s only."
                    )
                    if stage_next_stages(project.stage)
                    else _("The project has ended (“%(stage)s”): no gate leads on from here."),
                    code="not_next",
                    params={
                        "stage": Project.Stage(project.stage).label,
                        "allowed": " / ".join(
                            f"“{Project.Stage(stage).label}”"
                            for stage in stage_next_stages(project.stage)
                        ),
                    },
                )
            }
        )
    criteria = GATE_CRITERIA[to_stage]
    ticked = set(criteria_met)
    missing = [label for key, label in criteria if key not in ticked]
    if missing:
        raise ValidationError(
            {
                "criteria": ValidationError(
                    _("Every criterion of the gate must be met. Not ticked: %(missing)s."),
                    code="criteria",
                    params={"missing": "; ".join(str(label) for label in missing)},
                )
            }
        )
    from_stage = project.stage
    project.stage = to_stage
    if to_stage in ENDED_STAGES:
        project.ended_on = project.ended_on or timezone.localdate()
    else:
        project.ended_on = None
    project.full_clean()
    project._history_user = actor
    project.save()
    change = StageChange(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        decided_by=actor,
        note=note,
        criteria_met=[key for key, _label in criteria if key in ticked],
    )
    change.full_clean()
    change.save()
    # The person whose idea it was hears of every gate.
    idea_notify_project_stage_change(
        project=project, from_stage=from_stage, to_stage=to_stage, actor=actor
    )
    # ...and so does the project's team.
    project_team_notify_stage_change(
        project=project, from_stage=from_stage, to_stage=to_stage, actor=actor
    )
    return project


@transaction.atomic
def status_update_post(*, project: Project, author: User, health: str, text: str) -> StatusUpdate:
    """Report on a project; the health it reports becomes the project's health."""
    _require_steering(author, project)
    update = StatusUpdate(project=project, author=author, health=health, text=(text or "").strip())
    update.full_clean()
    update.save()
    # A save (not a bulk .update()) so the audit trail records the health change; the row is
    # re-read under lock so the history snapshot carries everyone else's latest values too.
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.health != health:
        current.health = health
        current._history_user = author
        current.save(update_fields=["health", "updated_at", "version"])
    project.health = health
    return update


@transaction.atomic
def value_measurement_record(
    *,
    indicator: ValueIndicator,
    value: Decimal,
    measured_on: datetime.date,
    recorded_by: User,
    note: str = "",
) -> ValueMeasurement:
    """Record a measurement; the indicator keeps the newest one for the dashboard.

    Dated between the project's start and today (or its end, once it has ended): what was
    measured before the project is its baseline, and a mistyped year (0001, 2924) would
    otherwise become the "latest" value. A retired indicator takes no new measurements.
    """
    # Lock the indicator (not its project) while its latest value is worked out.
    indicator = (
        ValueIndicator.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=indicator.pk)
    )
    project = indicator.project
    _require_steering(recorded_by, project)
    if indicator.is_retired:
        raise ValidationError(
            {
                "indicator": ValidationError(
                    _("This indicator is retired: it takes no new measurements."),
                    code="retired",
                )
            }
        )
    if measured_on > timezone.localdate():
        raise ValidationError(
            {
                "measured_on": ValidationError(
                    _("A measurement cannot be dated in the future."), code="future"
                )
            }
        )
    if measured_on < project.started_on:
        raise ValidationError(
            {
                "measured_on": ValidationError(
                    _("A measurement cannot be dated before the project started (%(date)s)."),
                    code="before_start",
                    params={"date": date_format(project.started_on, "SHORT_DATE_FORMAT")},
                )
            }
        )
    if project.ended_on is not None and measured_on > project.ended_on:
        raise ValidationError(
            {
                "measured_on": ValidationError(
                    _("A measurement cannot be dated after the project ended (%(date)s)."),
                    code="after_end",
                    params={"date": date_format(project.ended_on, "SHORT_DATE_FORMAT")},
                )
            }
        )
    measurement = ValueMeasurement(
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        recorded_by=recorded_by,
        note=(note or "").strip(),
    )
    measurement.full_clean()
    measurement.save()
    if indicator.latest_measured_on is None or measured_on >= indicator.latest_measured_on:
        indicator.latest_value = value
        indicator.latest_measured_on = measured_on
        indicator.full_clean()
        indicator.save(update_fields=["latest_value", "latest_measured_on", "updated_at"])
    measurement_recorded(measurement)
    return measurement
