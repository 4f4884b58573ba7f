"""The real path of a task: queued on Redis, run by a real Celery worker process, e-mail sent.

Unit tests run tasks eagerly; this one proves that the broker, the worker and the task wiring
work together. It needs a Redis broker (``CELERY_TEST_BROKER_URL``, set by .ci/run) and a
database the worker process can share (PostgreSQL: the worker connects to the test database).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from tests.clinics.factories import StaffFactory

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),  # the worker must see committed rows
    pytest.mark.skipif(not BROKER, reason="set CELERY_TEST_BROKER_URL=redis://... (.ci/run does)"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database: run on PostgreSQL",
    ),
]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def test_worker_on_redis_sends_the_notification_email(tmp_path, clinic):
    recipient = StaffFactory(clinic=clinic, email="sara@example.org")
    queue = f"test-{uuid.uuid4().hex}"  # our own queue: nothing else on the broker is taken
    mail_dir = tmp_path / "mail"
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail://{mail_dir}",
        "PARTNERSKAP_VAR_DIR": str(tmp_path / "var"),
    }
    worker = subprocess.Popen(  # noqa: S603 -- fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with Celery("partnerskap-test", broker=BROKER) as producer:
            producer.send_task(
                "portfolio.tasks.send_notification_email_task",
                args=[recipient.pk, "Din idé har nu status: Antagen", "/portfolio/ideas/1/"],
                queue=queue,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _mails(mail_dir):
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]

    mails = _mails(mail_dir)
    assert mails, output
    text = mails[0].read_text()
    assert "To: sara@example.org" in text
    assert "Din idé har nu status: Antagen" in text


def _mails(folder: Path):
    return sorted(folder.glob("*.log")) if folder.exists() else []
