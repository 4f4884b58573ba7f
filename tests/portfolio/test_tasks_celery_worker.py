"""The real path of a notification: queued on Redis, run by a real Celery worker, e-mailed.

Unit tests run tasks eagerly; this proves the broker, the worker and the task wiring together,
with the same harness as the digest tests (tests/portfolio/digest_support.py): the worker shares
the test database, so the data is committed (``transaction=True``). Without Redis it fails,
asking to start it.
"""

import pytest

from core.tasks import send_notification_email_task
from tests.clinics.factories import StaffFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_on_redis_sends_the_notification_email(
    clinic, celery_worker_process, smtp_server, send_to_broker
):
    recipient = StaffFactory(clinic=clinic, email="sara@example.org")
    celery_worker_process.start()

    send_to_broker(
        send_notification_email_task,
        recipient.pk,
        "Din idé har nu status: Antagen",
        "/portfolio/ideas/1/",
    )

    smtp_server.wait_for(1, timeout=30)
    message = smtp_server.handler.messages[0]
    assert message["To"] == "sara@example.org", celery_worker_process.log()
    assert "Din idé har nu status: Antagen" in message.get_body(("plain",)).get_content()
