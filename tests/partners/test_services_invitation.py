"""Invitations go through the e-mail outbox: written with the new account, the newest link
replacing any older invitation still waiting (its link no longer works)."""

import re

import pytest
from django.db import transaction

from core.models import OutboxEmail
from core.outbox import outbox_send_ready
from partners.services.invitations import partner_invite

pytestmark = pytest.mark.django_db


def _invite(leader, organisation, **extra):
    return partner_invite(
        actor=leader,
        email="anna.berg@medtech.example",
        first_name="Anna",
        last_name="Berg",
        organisation=organisation,
        preferred_language="sv",
        **extra,
    )


def test_an_invitation_is_written_with_the_account_and_rolled_back_with_it(
    leader, partner_organisation, agreement
):
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite(leader, partner_organisation)
        raise RuntimeError("the request fails after the invitation")
    assert not OutboxEmail.objects.exists()

    user = _invite(leader, partner_organisation)

    [email] = OutboxEmail.objects.all()
    assert (email.kind, email.user, email.status) == ("invitation", user, "ready")
    assert email.language == "sv" and "inbjuden" in email.subject


def test_a_second_invitation_replaces_the_first_while_it_still_waits(
    leader, partner_organisation, agreement, smtp_server
):
    smtp_server.stop()  # the mail server is down: the first invitation waits
    _invite(leader, partner_organisation)
    outbox_send_ready()

    _invite(leader, partner_organisation)  # asked again, a new link
    smtp_server.start()
    outbox_send_ready()

    first, second = OutboxEmail.objects.order_by("pk")
    assert (first.status, second.status) == ("cancelled", "sent")
    [message] = smtp_server.handler.messages
    assert re.search(r"/partners/invitations/\S+/", message.get_content())
