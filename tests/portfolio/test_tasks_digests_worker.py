"""Digests through a REAL Celery worker subprocess, Redis and a real SMTP server.

The worker shares the test database (see tests/conftest.py for SQLite), so these tests commit
their data (``transaction=True``). Without Redis they fail, asking to start it.
"""

import time

import pytest
from django.utils import translation
from django.utils.translation import gettext

from insights.services.digests import digest_prepare
from insights.tasks import digest_prepare_task, digests_dispatch_task, digests_send_task
from portfolio.models import DigestDelivery
from tests.clinics.factories import LeaderFactory
from tests.portfolio.digest_support import broker_messages
from tests.portfolio.digest_world import NOW, SLOT, build_portfolio, foreign_portfolio

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def settle(smtp_server, seconds=1.5):
    """Give a duplicate the chance to arrive before counting."""
    time.sleep(seconds)
    return smtp_server.handler.recipients()


def parts(message):
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def only_message_to(smtp_server, address):
    found = [m for m in smtp_server.handler.messages if m["To"] == address]
    assert len(found) == 1, f"{len(found)} messages to {address}"
    return found[0]


def test_worker_sends_each_leader_their_own_digest_in_their_language_and_retries_a_refused_send(
    clinic,
    project,
    partner_organisation,
    leader,
    other_region_leader,
    foreign_clinic,
    celery_worker_process,
    smtp_server,
    send_to_broker,
):
    build_portfolio(clinic=clinic, project=project, partner_organisation=partner_organisation)
    foreign_portfolio(foreign_clinic=foreign_clinic, owner=other_region_leader)
    leaders = [leader, other_region_leader]  # Swedish and Danish regions
    smtp_server.handler.refuse_next = 1  # the SMTP server turns the first transaction away
    celery_worker_process.start()

    send_to_broker(digests_dispatch_task, now=NOW.isoformat())

    smtp_server.wait_for(len(leaders), timeout=30)
    assert settle(smtp_server) == sorted(person.email for person in leaders), (
        celery_worker_process.log()
    )
    deliveries = list(DigestDelivery.objects.order_by("pk"))
    assert [d.status for d in deliveries] == [DigestDelivery.Status.SENT] * len(leaders)
    assert sorted(d.attempts for d in deliveries) == [1, 2]
    assert "421" in next(d.last_error for d in deliveries if d.attempts == 2)

    swedish = only_message_to(smtp_server, leader.email)
    danish = only_message_to(smtp_server, other_region_leader.email)
    with translation.override("sv"):
        subject = gettext("Partnerskap: what changed in your portfolio up to %(date)s")
        status_updates = gettext("Status updates")
    assert swedish["Subject"].strip() == subject % {"date": "2 mars"}
    assert status_updates != "Status updates"
    text, html = parts(swedish)
    assert status_updates in text and status_updates in html
    assert '<html lang="sv">' in html
    # Only the leader's own clinics: region Västerbotten's project, not Midtjylland's.
    assert project.title in text and project.title in html
    assert "Foreign secret" not in text + html and "Foreign update" not in text + html

    with translation.override("da"):
        subject = gettext("Partnerskap: what changed in your portfolio up to %(date)s")
    assert danish["Subject"].strip() == subject % {"date": "2 marts"}
    text, html = parts(danish)
    assert '<html lang="da">' in html and "Statusopdateringer" in text
    assert "Foreign update" in text and "Foreign update" in html
    assert project.title not in text + html and "Supplier went bankrupt" not in text + html


def test_a_prepare_task_run_twice_by_the_worker_sends_one_email(
    region, celery_worker_process, smtp_server, send_to_broker
):
    twice, last = LeaderFactory(region=region), LeaderFactory(region=region)
    celery_worker_process.start()

    for _run in range(2):
        send_to_broker(digest_prepare_task, twice.pk, SLOT.isoformat(), NOW.isoformat())
    # One worker, one task at a time, first in first out: when the last leader's digest has
    # arrived, both runs for the first leader (and any sender they queued) are done.
    send_to_broker(digest_prepare_task, last.pk, SLOT.isoformat(), NOW.isoformat())
    smtp_server.wait_for(2, timeout=30)

    assert settle(smtp_server) == sorted([twice.email, last.email]), celery_worker_process.log()
    assert DigestDelivery.objects.filter(leader=twice).count() == 1
    log = celery_worker_process.log()
    assert log.count("insights.tasks.digest_prepare_task[") >= 3 * 2, log  # received, succeeded


def test_a_killed_workers_unacknowledged_task_is_delivered_again(
    region, broker_url, celery_worker_process, smtp_server, send_to_broker
):
    """SIGKILL a worker in the middle of a batch; a new worker gets the same task again from
    Redis (late acknowledgement, visibility timeout) and sends each leader exactly one digest.

    There is exactly one task: the digests are claimed here and one sender is queued, so
    nothing but the killed worker's unacknowledged message can finish the batch."""
    leaders = [LeaderFactory(region=region) for _ in range(6)]
    for person in leaders:
        digest_prepare(leader_id=person.pk, period_end=SLOT, now=NOW, queue_sender=False)
    smtp_server.handler.delay = 0.5  # a slow server: the batch takes a while
    # Redis hands an unacknowledged message out again after 3 s (not an hour), and workers
    # look for such messages every second.
    celery_worker_process.env |= {
        "CELERY_BROKER_VISIBILITY_TIMEOUT": "3",
        "CELERY_BROKER_RESTORE_INTERVAL": "1",
    }
    celery_worker_process.start()

    task_id = send_to_broker(digests_send_task).id

    # Kill it while the third message of the batch is in flight: two were accepted (and, since
    # the worker moves on only after committing, recorded), the third not yet.
    deadline = time.monotonic() + 30
    while not (
        len(smtp_server.handler.messages) >= 2 and smtp_server.handler.transactions_started >= 3
    ):
        assert time.monotonic() < deadline, celery_worker_process.log()
        time.sleep(0.02)
    celery_worker_process.kill()
    first_log = celery_worker_process.log()
    delivered_before_kill = len(smtp_server.handler.messages)
    assert delivered_before_kill < len(leaders)
    assert DigestDelivery.objects.filter(status="sent").count() == delivered_before_kill
    # The task is nowhere but in the broker's unacknowledged messages.
    assert broker_messages(broker_url) == {"queued": [], "unacked": [task_id]}
    assert f"digests_send_task[{task_id}] succeeded" not in first_log

    celery_worker_process.start()
    smtp_server.wait_for(len(leaders), timeout=30)

    assert settle(smtp_server) == sorted(person.email for person in leaders), (
        celery_worker_process.log()
    )
    assert DigestDelivery.objects.filter(status="sent").count() == len(leaders)
    second_log = celery_worker_process.log()
    assert f"Task insights.tasks.digests_send_task[{task_id}] received" in second_log
    assert f"digests_send_task[{task_id}] succeeded" in second_log
    assert broker_messages(broker_url) == {"queued": [], "unacked": []}
