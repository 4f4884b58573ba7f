"""Recording innovation time: a person's hours on a project in one week."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from portfolio.access import innovation_time_can_record
from portfolio.models import InnovationTime, Project
from portfolio.selectors.innovation_time import innovation_time_editable_weeks

ALREADY_RECORDED = _(
    "Meanwhile %(hours)s hours were saved for this project and week (in another window, or "
    "by an earlier save). They are shown below: save again to replace them."
)


@transaction.atomic
def innovation_time_record(
    *,
    project: Project,
    week: datetime.date,
    hours: Decimal,
    expected_version: int | str | None,
    actor: User,
    today: datetime.date | None = None,
) -> InnovationTime:
    """Record (or correct) the actor's own hours on ``project`` in the week starting ``week``.

    One row per person, project and week: a second save of the same week changes the row. The
    form carries the row's version (blank for a week not recorded yet); a save based on another
    version, or a blank one where a row exists, is refused (code "stale"), so two windows
    cannot silently overwrite each other. Only this week and the previous one are open
    (``innovation_time_editable_weeks``).
    """
    if not innovation_time_can_record(access_for(actor), project):
        raise PermissionDenied
    if week not in innovation_time_editable_weeks(today):
        raise ValidationError(
            {
                "week": ValidationError(
                    _("You can record hours for this week and last week only."),
                    code="closed_week",
                )
            }
        )
    row = (
        InnovationTime.objects.select_for_update()
        .filter(project=project, person=actor, week=week)
        .first()
    )
    if row is None:
        row = InnovationTime(project=project, person=actor, week=week, hours=hours)
        row.full_clean()
        try:
            # A savepoint: a concurrent first save of the same week loses the race cleanly.
            with transaction.atomic():
                row.save()
        except IntegrityError:
            current = InnovationTime.objects.get(project=project, person=actor, week=week)
            raise ValidationError(
                ALREADY_RECORDED, code="stale", params={"hours": number_format(current.hours)}
            ) from None
        return row
    check_version(
        row, expected_version, message=ALREADY_RECORDED, params={"hours": number_format(row.hours)}
    )
    row.hours = hours
    row.full_clean()
    row.save()
    return row
