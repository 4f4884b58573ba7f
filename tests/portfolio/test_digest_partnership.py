"""Innovation partnerships in the leader's digest: interim targets due or overdue, gate
decisions of the period and instalments awaiting payment, each line linking to its phase page,
scoped like the rest of the digest (the projects the leader may see)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from insights.services.digests import digest_build, digest_prepare
from partnership.models import GateDecision
from portfolio.models import DigestDelivery
from tests.portfolio.digest_world import NOW, SLOT, build_partnership

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": SLOT - timedelta(days=7), "period_end": SLOT, "now": NOW}


@pytest.fixture
def phase(project, partner_organisation, leader):
    return build_partnership(
        project=project, partner_organisation=partner_organisation, decided_by=leader
    )


def _section(rendered_text: str, heading: str) -> str:
    """The plain-text lines of one section: from its heading to the next one."""
    return rendered_text.split(f"== {heading} ==", 1)[1].split("\n== ", 1)[0]


def test_leader_reads_targets_decisions_and_instalments_linked_to_the_phase(phase, leader):
    rendered = digest_build(leader=leader, language="en", **PERIOD)
    text = rendered.text
    phase_url = reverse("partnership:phase_detail", args=[phase.pk])
    assert phase_url in text and phase_url in rendered.html

    targets = _section(text, "Interim targets due or overdue")
    assert "Overdue target (Digital dental triage)" in targets
    assert "3 days overdue" in targets
    assert "Coming target" in targets and "all partners" in targets
    # Met, or due beyond 14 days: not mentioned.
    assert "Met target" not in text and "Far target" not in text

    gates = _section(text, "Gate decisions taken")
    assert "Medtech Nord AB: Go with conditions" in gates
    assert gates.count("Phase 1. Prototype") == 1  # the decision before the period is not news

    instalments = _section(text, "Instalments awaiting payment")
    assert "SEK\xa01,250,000 to Medtech Nord AB" in instalments
    assert "due for payment" in instalments
    assert "SEK\xa0300,000.50" in instalments and "6 days ago, not yet marked due" in instalments
    assert "5,000" not in instalments  # planned for later

    assert (
        "2 interim targets due or overdue, 1 gate decision taken, "
        "2 instalments awaiting payment" in text
    )


def test_a_leader_of_another_region_reads_none_of_it(phase, other_region_leader):
    rendered = digest_build(leader=other_region_leader, language="en", **PERIOD)
    for words in ("Interim targets", "Gate decisions", "Instalments", "Overdue target", "SEK"):
        assert words not in rendered.text
    assert reverse("partnership:phase_detail", args=[phase.pk]) not in rendered.text
    assert rendered.item_count == 0 and not rendered.has_changes


def test_a_gate_decision_is_a_change_while_due_targets_and_instalments_are_reminders(phase, leader):
    assert digest_build(leader=leader, **PERIOD).has_changes
    GateDecision.objects.filter(phase=phase).delete()
    rendered = digest_build(leader=leader, language="en", **PERIOD)
    # Still listed, like overdue milestones, but alone they are no news.
    assert "Overdue target" in rendered.text
    assert not rendered.has_changes


def test_the_delivery_counts_the_partnership_lines_and_is_claimed_once(phase, leader):
    delivery = digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW, queue_sender=False)
    assert delivery.status == DigestDelivery.Status.READY
    assert delivery.item_count == 5  # two targets, one decision, two instalments
    assert "Overdue target" in delivery.body_text
    assert digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW) is None
    assert DigestDelivery.objects.filter(leader=leader).count() == 1


def test_lines_in_swedish(phase, leader):
    text = digest_build(leader=leader, language="sv", **PERIOD).text
    assert "Delmål som förfaller eller är försenade" in text
    assert "skulle vara klar 27 februari 2026, 3 dagar försenad" in text
    assert "Medtech Nord AB: Fortsätt med villkor" in text
    assert "1\xa0250\xa0000\xa0SEK till Medtech Nord AB" in text
    assert "300\xa0000,50\xa0SEK" in text
    assert "2 delmål som förfaller eller är försenade, 1 grindbeslut fattat" in text
