"""Innovation partnerships under the dashboard's "needs your action": interim targets past due
and not met, instalments awaiting payment, a few of each with the total, linked to the phase
page, for the projects the leader may see only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.selectors.dashboard import PortfolioFilters, portfolio_dashboard
from partners.models import Agreement
from partnership.models import Instalment, InterimTarget
from tests.partners.factories import agreement_with_parties
from tests.partnership.factories import instalment_of, phase_with_budgets, target_of
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(project, partner_organisation):
    """Seven overdue targets (and one met, one not yet due), seven instalments due or planned
    with the date passed (and one planned later, one paid)."""
    today = timezone.localdate()
    agreement = agreement_with_parties(
        partner_organisation, project=project, status=Agreement.Status.SIGNED
    )
    phase = phase_with_budgets(agreement, ceilings={partner_organisation: "10000000"})
    targets = [
        target_of(
            phase,
            partner_organisation if index % 2 else None,
            description=f"Late target {index}",
            due_on=today - datetime.timedelta(days=index + 1),
        )
        for index in range(7)
    ]
    target_of(
        phase,
        description="Met target",
        due_on=today - datetime.timedelta(days=3),
        status=InterimTarget.Status.MET,
        assessed_at=timezone.now(),
    )
    target_of(phase, description="Coming target", due_on=today + datetime.timedelta(days=3))
    for index, target in enumerate(targets):
        instalment_of(
            target,
            partner_organisation,
            amount=str(100000 + index),
            status=Instalment.Status.DUE if index % 2 else Instalment.Status.PLANNED,
            planned_on=today - datetime.timedelta(days=1),
        )
    instalment_of(targets[0], partner_organisation, amount="5555", planned_on=today)
    instalment_of(
        targets[0],
        partner_organisation,
        amount="6666",
        status=Instalment.Status.PAID,
        approved_at=timezone.now(),
        paid_on=today,
    )
    return phase


def _needs_action(client) -> str:
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    return html.split('id="needs-action"')[1].split("</section>")[0]


def test_leader_sees_overdue_targets_and_instalments_due_with_totals_and_links(
    client, leader, partnership
):
    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())
    assert board.overdue_targets_count == 7
    assert board.instalments_due_count == 7
    assert {t.description for t in board.overdue_targets} == {f"Late target {i}" for i in range(7)}
    assert sorted(i.amount for i in board.instalments_due)[0] == 100000

    client.force_login(leader)
    section = _needs_action(client)
    # In the leader's language (the region's: Swedish): the totals, five of each listed.
    assert "7 försenade delmål" in section
    assert "7 delbetalningar väntar på betalning" in section
    phase_link = f'href="{reverse("partnership:phase_detail", args=[partnership.pk])}"'
    assert section.count(phase_link) == 10
    assert "Late target 6" in section and "Late target 1" not in section  # oldest first
    assert "Met target" not in section and "Coming target" not in section
    assert "100\xa0000\xa0SEK till Medtech Nord AB" in section
    assert "5\xa0555" not in section and "6\xa0666" not in section
    assert "alla partner" in section  # a joint target
    assert "Förfallen" in section and "planerad " in section


def test_leader_of_another_region_sees_none_of_it(client, other_region_leader, partnership):
    ProjectFactory(lead_clinic__region=other_region_leader.region, owner=other_region_leader)
    board = portfolio_dashboard(user=other_region_leader, filters=PortfolioFilters())
    assert board.overdue_targets_count == board.instalments_due_count == 0
    assert board.overdue_targets == board.instalments_due == []
    client.force_login(other_region_leader)
    section = _needs_action(client)
    assert reverse("partnership:phase_detail", args=[partnership.pk]) not in section
    assert "Late target" not in section


def test_the_cached_dashboard_shows_a_target_assessed_at_once(client, leader, partnership):
    client.force_login(leader)
    assert "7 försenade delmål" in _needs_action(client)
    target = InterimTarget.objects.get(description="Late target 6")
    target.status = InterimTarget.Status.MET
    target.assessed_at = timezone.now()
    target.save()  # writes the target's history, which the cache's data version reads
    assert "6 försenade delmål" in _needs_action(client)


@pytest.mark.parametrize("stage", ["stopped", "completed"])
def test_a_stopped_or_completed_projects_targets_and_instalments_ask_nothing(
    leader, project, partnership, stage
):
    project.stage = stage
    project.save(update_fields=["stage"])

    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())

    assert (board.overdue_targets_count, board.instalments_due_count) == (0, 0)
