"""A task that meets a database or broker outage is retried with backoff, boundedly, and every
wait (and all of them together) stays below the broker's visibility timeout.

The tasks run eagerly (as in the rest of the suite): a retry runs at once, in the same process,
through Celery's own retry path.
"""

import json
import os
import subprocess
import sys

import pytest
from celery import shared_task
from celery.app.task import Task
from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from config.celery import OutageRetryingTask, app

ATTEMPTS: list[int] = []
FAILURES_LEFT = {"count": 0}


def _fail_while_failures_left(error):
    ATTEMPTS.append(len(ATTEMPTS) + 1)
    if FAILURES_LEFT["count"] > 0:
        FAILURES_LEFT["count"] -= 1
        raise error
    return "done"


@shared_task
def outage_probe_task(kind):
    errors = {
        "database": OperationalError("server closed the connection unexpectedly"),
        "interface": InterfaceError("connection already closed"),
        "broker": BrokerOperationalError("Error 111 connecting to redis:6379"),
        "bug": ValueError("a bug, not an outage"),
    }
    return _fail_while_failures_left(errors[kind])


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=1)
def bound_probe_task(self):
    # A task with its own autoretry_for (as the e-mail tasks have) and bind=True.
    _fail_while_failures_left(OperationalError("the database restarts"))
    return self.request.retries


@pytest.fixture(autouse=True)
def _attempts():
    ATTEMPTS.clear()
    FAILURES_LEFT["count"] = 0
    yield
    ATTEMPTS.clear()


@pytest.fixture
def countdowns(monkeypatch):
    """The waits each retry asked for (an eager retry runs at once whatever it asked)."""
    asked = []
    original = Task.retry

    def retry(self, *args, **kwargs):
        asked.append(kwargs.get("countdown"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Task, "retry", retry)
    return asked


def test_every_task_of_the_project_is_an_outage_retrying_task():
    assert issubclass(app.Task, OutageRetryingTask)
    app.loader.import_default_modules()  # what a worker does at start: find every tasks.py
    project_tasks = [
        task for name, task in app.tasks.items() if not name.startswith(("celery.", "tests."))
    ]
    assert project_tasks
    assert all(isinstance(task, OutageRetryingTask) for task in project_tasks)


@pytest.mark.parametrize("kind", ["database", "interface", "broker"])
def test_a_task_that_meets_an_outage_is_retried_until_it_succeeds(kind, countdowns):
    FAILURES_LEFT["count"] = 2

    outage_probe_task.delay(kind)

    assert ATTEMPTS == [1, 2, 3]
    assert len(countdowns) == 2
    assert all(
        0 <= countdown <= django_settings.TASK_OUTAGE_RETRY_BACKOFF_MAX for countdown in countdowns
    )


def test_a_task_with_its_own_autoretry_and_bind_retries_outages_too(countdowns):
    FAILURES_LEFT["count"] = 3

    result = bound_probe_task.apply()

    assert ATTEMPTS == [1, 2, 3, 4]
    assert len(countdowns) == 3
    # The task saw the worker's request (its retries), beyond its own max_retries=1.
    assert result.state == "SUCCESS"
    assert result.result == 3


def test_retries_are_bounded_then_the_task_fails(settings, countdowns):
    settings.TASK_OUTAGE_MAX_RETRIES = 3
    FAILURES_LEFT["count"] = 10

    result = outage_probe_task.apply(("database",))

    assert ATTEMPTS == [1, 2, 3, 4]  # the first run and three retries
    assert result.state == "FAILURE"
    assert isinstance(result.result, OperationalError)


def test_other_errors_are_not_retried(countdowns):
    FAILURES_LEFT["count"] = 1

    result = outage_probe_task.apply(("bug",))

    assert ATTEMPTS == [1]
    assert result.state == "FAILURE"
    assert countdowns == []


def _retry_settings(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.TASK_OUTAGE_MAX_RETRIES, s.TASK_OUTAGE_RETRY_BACKOFF, "
        "s.TASK_OUTAGE_RETRY_BACKOFF_MAX, "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS.get('visibility_timeout')]))"
    )
    result = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("visibility_timeout", ["3600", "600", "30"])
def test_all_the_waits_together_stay_below_the_visibility_timeout(visibility_timeout):
    max_retries, backoff, backoff_max, timeout = _retry_settings(
        CELERY_BROKER_URL="redis://127.0.0.1:6379/11",
        CELERY_BROKER_VISIBILITY_TIMEOUT=visibility_timeout,
    )

    # Full jitter draws each wait from 0 up to this; the worst case is every upper bound.
    longest = [min(backoff_max, backoff * 2**retry) for retry in range(max_retries)]
    assert timeout == int(visibility_timeout)
    assert max_retries >= 3
    assert sum(longest) < timeout


def test_workers_reconnect_to_the_broker_forever():
    assert django_settings.CELERY_BROKER_CONNECTION_RETRY is True
    assert django_settings.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is True
    assert django_settings.CELERY_BROKER_CONNECTION_MAX_RETRIES is None
    assert app.conf.broker_connection_max_retries is None
