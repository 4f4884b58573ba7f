"""Digests through a REAL Celery worker subprocess, Redis and a real SMTP server.

The worker shares the test database (see tests/conftest.py for SQLite), so these tests commit
their data (``transaction=True``). Without Redis they fail, asking to start it.
"""

import time

import pytest

from portfolio.models import DigestDelivery
from portfolio.tasks import digests_dispatch_task
from tests.clinics.factories import LeaderFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def settle(smtp_server, seconds=1.5):
    """Give a duplicate the chance to arrive before counting."""
    time.sleep(seconds)
    return smtp_server.handler.recipients()


def test_worker_sends_each_leader_one_digest_and_retries_a_refused_send(
    region, other_region, celery_worker_process, smtp_server, send_to_broker
):
    leaders = [LeaderFactory(region=region), LeaderFactory(region=other_region)]
    smtp_server.handler.refuse_next = 1  # the SMTP server turns the first transaction away
    celery_worker_process.start()

    send_to_broker(digests_dispatch_task)

    smtp_server.wait_for(len(leaders), timeout=30)
    assert settle(smtp_server) == sorted(leader.email for leader in leaders), (
        celery_worker_process.log()
    )
    deliveries = list(DigestDelivery.objects.order_by("pk"))
    assert [d.status for d in deliveries] == [DigestDelivery.Status.SENT] * len(leaders)
    assert sorted(d.attempts for d in deliveries) == [1, 2]
    assert "421" in next(d.last_error for d in deliveries if d.attempts == 2)
    message = smtp_server.handler.messages[0]
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None


def test_worker_killed_mid_batch_and_restarted_sends_each_leader_exactly_one_digest(
    region, celery_worker_process, smtp_server, send_to_broker
):
    leaders = [LeaderFactory(region=region) for _ in range(6)]
    smtp_server.handler.delay = 0.5  # a slow server: the batch takes a while
    celery_worker_process.start()

    send_to_broker(digests_dispatch_task)

    # Kill it while the third message of the batch is in flight: two were accepted (and, since
    # the worker moves on only after committing, recorded), the third not yet.
    deadline = time.monotonic() + 30
    while not (
        len(smtp_server.handler.messages) >= 2 and smtp_server.handler.transactions_started >= 3
    ):
        assert time.monotonic() < deadline, celery_worker_process.log()
        time.sleep(0.02)
    celery_worker_process.kill()
    delivered_before_kill = len(smtp_server.handler.messages)
    assert delivered_before_kill < len(leaders)
    assert DigestDelivery.objects.filter(status="sent").count() == delivered_before_kill

    celery_worker_process.start()
    smtp_server.wait_for(len(leaders), timeout=30)
    assert settle(smtp_server) == sorted(leader.email for leader in leaders), (
        celery_worker_process.log()
    )
    assert DigestDelivery.objects.filter(status="sent").count() == len(leaders)
