"""A partner marks a milestone done while the Celery broker is down: the change is saved, the
page answers as always, and the leader's e-mail waits in the outbox until the sweep sends it.

Transactional (``transaction=True``): the request really commits, so the queueing after the
commit runs inside the request, against a broker that refuses connections, as in production.
"""

import logging

import pytest
from django.urls import reverse

from core.models import OutboxEmail
from core.tasks import outbox_sweep_task
from partners.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)


def test_milestone_done_is_saved_and_its_mail_sent_later_when_the_broker_is_down(
    client, milestone, partner_user, leader, smtp_server, broker_down, caplog
):
    client.force_login(partner_user)
    url = reverse("partners:milestone_detail", kwargs={"pk": milestone.pk})

    with caplog.at_level(logging.WARNING, logger="core.outbox"):
        response = client.post(url, {"version": 1, "status": "done", "progress": 100})

    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).status == "done"
    [email] = OutboxEmail.objects.all()
    assert (email.user, email.recipient, email.status) == (leader, leader.email, "ready")
    assert "Could not queue the e-mail sender" in caplog.text
    assert smtp_server.handler.messages == []

    # The page after the redirect works, and a second save is not refused as a conflict.
    assert client.get(response.url).status_code == 200
    again = client.post(url, {"version": 2, "status": "done", "progress": 100, "comment": "ok"})
    assert again.status_code == 302

    outbox_sweep_task.apply(throw=True)  # the beat job, a minute later

    # Two mails: "please confirm", and the partner's second update (its comment), which the
    # leaders who steer the project are told of too.
    smtp_server.wait_for(2)
    messages = smtp_server.handler.messages
    assert [message["To"] for message in messages] == [leader.email] * 2
    assert all(milestone.title in message["Subject"] for message in messages)
    outbox_sweep_task.apply(throw=True)
    assert len(smtp_server.handler.messages) == 2
