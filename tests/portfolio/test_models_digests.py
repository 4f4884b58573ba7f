import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_celery_beat.models import PeriodicTask

from portfolio.models import DigestDelivery, DigestPreference
from tests.portfolio.digest_world import NOW, SLOT

pytestmark = pytest.mark.django_db

digests_migration = importlib.import_module("portfolio.migrations.0003_digests")


def test_one_delivery_per_leader_and_period_in_the_database(leader):
    DigestDelivery.objects.create(
        leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT
    )
    duplicate = DigestDelivery(
        leader=leader, period_start=SLOT - timedelta(days=1), period_end=SLOT
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_period_must_not_be_empty(leader):
    with pytest.raises(ValidationError):
        DigestDelivery(leader=leader, period_start=SLOT, period_end=SLOT).full_clean()
    with pytest.raises(IntegrityError):
        DigestDelivery.objects.create(leader=leader, period_start=SLOT, period_end=SLOT)


def test_sent_delivery_has_a_date(leader):
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestDelivery.objects.create(
            leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, status="sent"
        )
    DigestDelivery.objects.create(
        leader=leader,
        period_start=SLOT - timedelta(days=7),
        period_end=SLOT,
        status="sent",
        sent_at=NOW,
    )


def test_preference_defaults_to_weekly_and_has_a_readable_name(leader):
    preference = DigestPreference.objects.create(leader=leader)
    assert preference.frequency == DigestPreference.Frequency.WEEKLY
    assert preference.send_when_empty is True
    assert str(leader) in str(preference)


def test_migration_created_the_beat_schedule_once():
    task = PeriodicTask.objects.get(name=digests_migration.DIGEST_TASK_NAME)
    # Created as portfolio.tasks.…, then pointed at the code's new home by insights 0001.
    assert task.task == "insights.tasks.digests_dispatch_task"
    assert task.enabled
    task.crontab.minute = "30"  # an administrator's edit survives a re-run
    task.crontab.save()
    digests_migration.create_digest_schedule(apps, None)
    assert PeriodicTask.objects.filter(task=task.task).count() == 1
    assert PeriodicTask.objects.get(pk=task.pk).crontab.minute == "30"
