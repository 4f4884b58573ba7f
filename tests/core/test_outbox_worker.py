"""The outbox through a real Celery worker on Redis and a real SMTP server: a change saved
while the broker was down has its mail sent by the worker's sweep, once, after the SMTP
server's own refusal too. Same harness as the digest tests (tests/portfolio/digest_support.py)."""

import time

import pytest
from django.db import transaction

from core.models import OutboxEmail
from core.notifications import notify
from core.tasks import outbox_sweep_task
from tests.clinics.factories import StaffFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _wait_until(condition, timeout=30.0, what=""):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_mail_left_behind_by_a_broker_outage_is_sent_by_the_worker_once(
    clinic, broker_down, celery_worker_process, smtp_server, send_to_broker
):
    sara = StaffFactory(clinic=clinic, email="sara@example.org")
    with transaction.atomic():  # a service's change, committed while the broker is down
        notify(recipient=sara, message="Din idé har nu status: Antagen", url="/portfolio/")
    email = OutboxEmail.objects.get()
    assert email.status == "ready"

    celery_worker_process.env["OUTBOX_RETRY_BASE_SECONDS"] = "1"
    celery_worker_process.start()
    smtp_server.handler.refuse_next = 1  # the first attempt is refused: 421

    send_to_broker(outbox_sweep_task)  # beat's every-minute sweep
    _wait_until(lambda: OutboxEmail.objects.get().attempts == 1, what="the first attempt")
    assert smtp_server.handler.messages == []
    _wait_until(
        lambda: (
            OutboxEmail.objects.get().next_attempt_at is not None
            and time.time() > OutboxEmail.objects.get().next_attempt_at.timestamp()
        ),
        what="the backoff",
    )
    send_to_broker(outbox_sweep_task)  # the next sweep
    send_to_broker(outbox_sweep_task)  # and one more: nothing left to send

    smtp_server.wait_for(1, timeout=30)
    _wait_until(lambda: OutboxEmail.objects.get().status == "sent", what="the sent mark")
    time.sleep(1)
    [message] = smtp_server.handler.messages
    assert message["To"] == "sara@example.org", celery_worker_process.log()
    assert "Din idé har nu status: Antagen" in message.get_body(("plain",)).get_content()
