"""The phase page and the agreement page's phases cost the same number of queries however
many targets, instalments, decisions and phases they show."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnership.models import GateDecision, GateOutcome, Phase, PhaseBudget
from tests.partners.factories import MilestoneFactory

from .factories import instalment_of, target_of

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "partner_user"])
def test_phase_page(client, request, phase, partner_organisation, co_partner_organisation, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = reverse("partnership:phase_detail", kwargs={"pk": phase.pk})
    PhaseBudget.objects.filter(phase=phase).update(ceiling=Decimal("1000000"))

    def grow(n):
        for _ in range(n):
            for organisation in (partner_organisation, co_partner_organisation):
                target = target_of(phase, organisation)
                target.milestones.add(
                    MilestoneFactory(
                        project=phase.agreement.project, responsible_party=organisation
                    )
                )
                instalment_of(target, organisation, amount="10")
            decision = GateDecision.objects.create(
                phase=phase,
                note="n",
                decided_by=request.getfixturevalue("leader"),
                decided_at=timezone.now(),
            )
            for organisation in (partner_organisation, co_partner_organisation):
                GateOutcome.objects.create(
                    decision=decision, organisation=organisation, outcome="go"
                )

    grow(1)
    small = _queries(client, url)
    grow(6)
    large = _queries(client, url)
    assert large == small, (small, large)


def test_agreement_page_phases(client, leader, partnership_agreement, partner_organisation):
    client.force_login(leader)
    url = reverse("partners:agreement_detail", kwargs={"pk": partnership_agreement.pk})

    def grow(start, n):
        for number in range(start, start + n):
            phase = Phase.objects.create(
                agreement=partnership_agreement,
                number=number,
                name=f"Phase {number}",
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 2, 1),
            )
            PhaseBudget.objects.create(phase=phase, organisation=partner_organisation, ceiling=1)

    grow(1, 1)
    small = _queries(client, url)
    grow(2, 6)
    assert _queries(client, url) == small
