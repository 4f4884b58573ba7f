"""Planned instalments become due by themselves: when their interim target is met, or when
their planned date has come (whichever first).

Stored, not computed on reading, so that "due" means the same on the pages, in the API, the
digest and the history (which records when and why it moved, with no person). Two writers:
``target_assess`` marks a met target's planned instalments due in its own transaction, and the
beat job ``instalments_mark_due_task`` (hourly, migration 0003) catches planned dates. Both
move only rows that are still planned, under a row lock (rows another transaction holds are
left for the next run): running twice, or both at once, changes each instalment once. The
sum under the ceiling trigger (migration 0002) counts every instalment not cancelled, so this
change never moves it.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from portfolio.models import Project

from ..models import Instalment, InterimTarget


def _mark_due(instalments: QuerySet[Instalment]) -> int:
    moved = 0
    for instalment in instalments.select_for_update(skip_locked=True).filter(
        status=Instalment.Status.PLANNED
    ):
        instalment.status = Instalment.Status.DUE
        instalment.full_clean()
        instalment._history_user = None  # the rule moved it, not a person
        instalment.save()
        moved += 1
    return moved


@transaction.atomic
def instalments_mark_due(*, today=None) -> int:
    """Mark due every planned instalment of a running project whose target is met or whose
    planned date is today or past. Returns how many moved."""
    today = today or timezone.localdate()
    return _mark_due(
        Instalment.objects.filter(
            Q(target__status=InterimTarget.Status.MET) | Q(planned_on__lte=today),
            phase__agreement__project__stage__in=Project.ACTIVE_STAGES,
        ).order_by("pk")
    )


def instalments_of_target_mark_due(target: InterimTarget) -> int:
    """In the caller's transaction: the planned instalments of a target just marked met."""
    return _mark_due(Instalment.objects.filter(target=target).order_by("pk"))
