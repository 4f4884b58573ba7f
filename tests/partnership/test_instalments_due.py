"""Planned instalments become due by themselves: their target met, or their date come;
exactly once, whoever runs first, and the ceiling trigger untouched."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from partnership.models import Instalment
from partnership.services.instalments_due import instalments_mark_due
from partnership.services.phases import target_assess
from partnership.tasks import instalments_mark_due_task

from .factories import instalment_of

pytestmark = pytest.mark.django_db
S = Instalment.Status


def _status(instalment):
    return Instalment.objects.get(pk=instalment.pk).status


def test_a_met_target_makes_its_planned_instalments_due(target, instalment, co_instalment, leader):
    target_assess(target=target, actor=leader, expected_version=target.version, status="met")
    assert _status(instalment) == S.DUE
    assert _status(co_instalment) == S.PLANNED  # another target's


def test_the_planned_date_makes_it_due_once(target, partner_organisation):
    today = timezone.localdate()
    past = instalment_of(target, partner_organisation, "100", planned_on=today)
    future = instalment_of(target, partner_organisation, "100", planned_on=today + timedelta(1))
    assert instalments_mark_due(today=today) == 1
    assert (_status(past), _status(future)) == (S.DUE, S.PLANNED)
    assert instalments_mark_due(today=today) == 0  # idempotent: nothing planned to move
    history = Instalment.objects.get(pk=past.pk).history.all()
    assert [h.status for h in history[:2]] == [S.DUE, S.PLANNED]
    assert history[0].history_user is None
    assert instalments_mark_due(today=today + timedelta(1)) == 1
    assert _status(future) == S.DUE


def test_cancelled_and_stopped_are_left_alone(target, partner_organisation, project):
    cancelled = instalment_of(
        target, partner_organisation, "100", planned_on=date(2020, 1, 1), status=S.CANCELLED
    )
    planned = instalment_of(target, partner_organisation, "100", planned_on=date(2020, 1, 1))
    project.stage = "stopped"
    project.save()
    assert instalments_mark_due() == 0
    assert (_status(cancelled), _status(planned)) == (S.CANCELLED, S.PLANNED)


def test_the_beat_task_runs_the_service(target, partner_organisation):
    due = instalment_of(target, partner_organisation, "100", planned_on=date(2020, 1, 1))
    assert instalments_mark_due_task.apply().get() == 1
    assert _status(due) == S.DUE


def test_the_schedule_exists():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="partnership.tasks.instalments_mark_due_task")
    assert task.enabled and task.interval.period == "hours"
