"""Phases, targets, gate decisions and instalments: the services' rules and their effects."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from core.models import Notification
from partners.models import Milestone
from partnership.models import GateDecision, Instalment, InterimTarget, Phase
from partnership.services.gates import PartnerOutcome, gate_decide, partners_at_gate
from partnership.services.instalments import instalment_create, instalment_transition
from partnership.services.phases import phase_create, phase_edit, target_assess

from .factories import instalment_of

pytestmark = pytest.mark.django_db
S = Instalment.Status


def _phase_fields(**overrides):
    return {
        "name": "Prototype",
        "starts_on": date(2026, 7, 1),
        "ends_on": date(2026, 12, 31),
        "currency": "SEK",
        **overrides,
    }


def test_phases_are_numbered_in_order_with_a_ceiling_per_partner(
    partnership_agreement, leader, partner_organisation, co_partner_organisation, phase
):
    second = phase_create(
        agreement=partnership_agreement,
        actor=leader,
        ceilings={partner_organisation.pk: Decimal("500"), co_partner_organisation.pk: Decimal(0)},
        **_phase_fields(),
    )

    assert second.number == phase.number + 1
    assert {b.organisation_id: b.ceiling for b in second.budgets.all()} == {
        partner_organisation.pk: Decimal("500"),
        co_partner_organisation.pk: Decimal("0"),
    }


def test_a_partner_or_joint_leader_cannot_plan_phases(
    partnership_agreement, partner_user, joint_leader
):
    for actor in (partner_user, joint_leader):
        with pytest.raises(PermissionDenied):
            phase_create(
                agreement=partnership_agreement, actor=actor, ceilings={}, **_phase_fields()
            )


def test_a_phase_that_ends_before_it_starts_is_refused(partnership_agreement, leader):
    with pytest.raises(ValidationError) as caught:
        phase_create(
            agreement=partnership_agreement,
            actor=leader,
            ceilings={},
            **_phase_fields(ends_on=date(2026, 1, 1)),
        )
    assert "A phase cannot end before it starts." in str(caught.value)


def test_a_stale_phase_edit_is_refused(phase, leader):
    phase_edit(
        phase=phase, actor=leader, expected_version=phase.version, ceilings={}, **_phase_fields()
    )

    with pytest.raises(ValidationError) as caught:
        phase_edit(
            phase=phase,
            actor=leader,
            expected_version=phase.version,
            ceilings={},
            **_phase_fields(name="Overwritten"),
        )
    assert caught.value.code == "stale"
    assert Phase.objects.get(pk=phase.pk).name == "Prototype"


def test_lowering_a_ceiling_below_the_planned_instalments_is_refused(
    phase, leader, instalment, partner_organisation
):
    with pytest.raises(ValidationError) as caught:
        phase_edit(
            phase=phase,
            actor=leader,
            expected_version=phase.version,
            ceilings={partner_organisation.pk: Decimal("3999")},
            **_phase_fields(),
        )
    assert f"ceiling_{partner_organisation.pk}" in caught.value.error_dict


# --- Instalments ---------------------------------------------------------------------------------
def test_instalments_beyond_the_ceiling_are_refused_next_to_the_amount(
    phase, target, leader, partner_organisation, instalment
):
    with pytest.raises(ValidationError) as caught:
        instalment_create(
            phase=phase,
            actor=leader,
            target=target,
            organisation=partner_organisation,
            amount=Decimal("6000.01"),
            planned_on=date(2026, 5, 1),
        )
    assert "budget ceiling" in caught.value.error_dict["amount"][0].message

    # Exactly up to the ceiling is fine.
    instalment_create(
        phase=phase,
        actor=leader,
        target=target,
        organisation=partner_organisation,
        amount=Decimal("6000"),
        planned_on=date(2026, 5, 1),
    )


def test_a_cancelled_instalment_frees_its_part_of_the_ceiling(
    phase, target, leader, partner_organisation, instalment
):
    instalment_transition(
        instalment=instalment,
        actor=leader,
        expected_version=instalment.version,
        to_status=S.CANCELLED,
    )
    instalment_create(
        phase=phase,
        actor=leader,
        target=target,
        organisation=partner_organisation,
        amount=Decimal("10000"),
        planned_on=date(2026, 5, 1),
    )


def test_instalment_for_another_partners_target_is_refused(
    phase, co_target, leader, partner_organisation
):
    with pytest.raises(ValidationError) as caught:
        instalment_create(
            phase=phase,
            actor=leader,
            target=co_target,
            organisation=partner_organisation,
            amount=Decimal("10"),
            planned_on=date(2026, 5, 1),
        )
    assert "target" in caught.value.error_dict


def test_amounts_are_positive_in_the_database(target, partner_organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        instalment_of(target, partner_organisation, amount="0")
    with pytest.raises(ValidationError):
        Instalment(
            phase=target.phase,
            target=target,
            organisation=partner_organisation,
            amount=Decimal("-1"),
            planned_on=date(2026, 1, 1),
        ).full_clean()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ceiling trigger is PostgreSQL's")
def test_the_database_refuses_instalments_beyond_the_ceiling(target, partner_organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        instalment_of(target, partner_organisation, amount="6000")
        instalment_of(target, partner_organisation, amount="4000.01")
        # The trigger is deferred to commit; a savepoint does not commit, so ask now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ceiling trigger is PostgreSQL's")
def test_the_database_refuses_lowering_a_ceiling_below_the_instalments(phase, instalment):
    with pytest.raises(IntegrityError), transaction.atomic():
        phase.budgets.filter(organisation=instalment.organisation).update(ceiling=Decimal("1"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([S.DUE, S.APPROVED, S.PAID], True),
        ([S.CANCELLED], True),
        ([S.DUE, S.CANCELLED], True),
        ([S.APPROVED], False),
        ([S.PAID], False),
        ([S.DUE, S.APPROVED, S.PAID, S.CANCELLED], False),
        ([S.CANCELLED, S.PLANNED], False),
    ],
)
def test_only_allowed_transitions(instalment, target, leader, path, allowed):
    InterimTarget.objects.filter(pk=target.pk).update(status="met", assessed_at="2026-04-01T10:00Z")
    try:
        for status in path:
            current = Instalment.objects.get(pk=instalment.pk)
            instalment_transition(
                instalment=current, actor=leader, expected_version=current.version, to_status=status
            )
    except ValidationError:
        assert not allowed
    else:
        assert allowed
        final = Instalment.objects.get(pk=instalment.pk)
        assert final.status == path[-1]
        if path[-1] == S.PAID:
            assert final.paid_on is not None and final.approved_by == leader


def test_approving_needs_the_target_met(instalment, target, leader):
    instalment_transition(
        instalment=instalment, actor=leader, expected_version=instalment.version, to_status=S.DUE
    )
    instalment.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        instalment_transition(
            instalment=instalment,
            actor=leader,
            expected_version=instalment.version,
            to_status=S.APPROVED,
        )
    assert "met" in caught.value.error_dict["status"][0].message

    target_assess(target=target, actor=leader, expected_version=target.version, status="met")
    instalment_transition(
        instalment=instalment,
        actor=leader,
        expected_version=instalment.version,
        to_status=S.APPROVED,
    )
    target.refresh_from_db()
    assert target.assessed_by == leader and target.assessed_at is not None


def test_a_stale_transition_is_refused(instalment, leader):
    instalment_transition(
        instalment=instalment, actor=leader, expected_version=instalment.version, to_status=S.DUE
    )
    with pytest.raises(ValidationError) as caught:
        instalment_transition(
            instalment=instalment, actor=leader, expected_version=1, to_status=S.CANCELLED
        )
    assert caught.value.code == "stale"


def test_partners_cannot_move_instalments(instalment, partner_user):
    with pytest.raises(PermissionDenied):
        instalment_transition(
            instalment=instalment, actor=partner_user, expected_version=1, to_status=S.DUE
        )


# --- Gate decisions ------------------------------------------------------------------------------
def _no_go_for(phase, leader, ended, kept):
    return gate_decide(
        phase=phase,
        actor=leader,
        note="The prototype did not reach the agreed level.",
        outcomes={
            ended.pk: PartnerOutcome("no_go", "Target not met."),
            kept.pk: PartnerOutcome("conditions", "Report monthly."),
        },
    )


def test_a_no_go_ends_the_partners_part(
    phase,
    leader,
    partner_organisation,
    co_partner_organisation,
    partner_user,
    co_partner_user,
    instalment,
    co_instalment,
    partner_milestone,
):
    later = Phase.objects.create(
        agreement=phase.agreement,
        number=2,
        name="Pilot",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 1),
    )
    later.budgets.create(organisation=partner_organisation, ceiling=Decimal("5000"))
    later_target = InterimTarget.objects.create(
        phase=later, description="Pilot", due_on=date(2026, 9, 1), performance_level="x"
    )
    later_instalment = instalment_of(later_target, partner_organisation, amount="100")
    done = Milestone.objects.create(
        project=phase.agreement.project,
        title="Done already",
        responsible_party=partner_organisation,
        due_on=date(2026, 3, 1),
        status="done",
        progress=100,
    )

    decision = _no_go_for(phase, leader, partner_organisation, co_partner_organisation)

    partner_milestone.refresh_from_db()
    assert partner_milestone.status == Milestone.Status.BLOCKED
    assert "ended at the gate" in partner_milestone.updates.first().comment
    done.refresh_from_db()
    assert done.status == Milestone.Status.DONE
    assert Instalment.objects.get(pk=instalment.pk).status == S.CANCELLED
    assert Instalment.objects.get(pk=later_instalment.pk).status == S.CANCELLED
    assert Instalment.objects.get(pk=co_instalment.pk).status == S.PLANNED
    # The partner is out for the next gate; the co-partner continues.
    assert partners_at_gate(later) == [co_partner_organisation]
    # The evidence is stored as it was at decision time.
    assert {t["id"] for t in decision.evidence["targets"]} == set(
        InterimTarget.objects.filter(phase=phase).values_list("pk", flat=True)
    )
    # Every party is told: the partners' users and the steering leaders (not the decider).
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"partner", "co_partner"} <= recipients
    assert "leader" not in recipients


def test_the_steering_leaders_are_notified(
    phase, leader, lead_clinic_leader, partner_organisation, co_partner_organisation
):
    _no_go_for(phase, leader, partner_organisation, co_partner_organisation)
    assert Notification.objects.filter(recipient=lead_clinic_leader).exists()


def test_only_a_steering_leader_decides(
    phase,
    joint_leader,
    partner_user,
    other_region_leader,
    partner_organisation,
    co_partner_organisation,
):
    for actor in (joint_leader, partner_user, other_region_leader):
        with pytest.raises(PermissionDenied):
            _no_go_for(phase, actor, partner_organisation, co_partner_organisation)


def test_decisions_are_final_and_corrected_by_a_new_one(
    phase, leader, partner_organisation, co_partner_organisation
):
    first = _no_go_for(phase, leader, partner_organisation, co_partner_organisation)
    with pytest.raises(ValidationError):
        _no_go_for(phase, leader, partner_organisation, co_partner_organisation)

    correction = gate_decide(
        phase=phase,
        actor=leader,
        note="Corrected: both continue.",
        outcomes={
            partner_organisation.pk: PartnerOutcome("go"),
            co_partner_organisation.pk: PartnerOutcome("go"),
        },
        corrects=first,
    )

    assert correction.corrects == first
    assert list(GateDecision.objects.filter(phase=phase).in_force()) == [correction]
    # The first decision stays, unchanged, in the history.
    assert GateDecision.objects.get(pk=first.pk).note == first.note


def test_conditions_must_be_stated_and_every_partner_decided(
    phase, leader, partner_organisation, co_partner_organisation
):
    with pytest.raises(ValidationError) as caught:
        gate_decide(
            phase=phase,
            actor=leader,
            note="",
            outcomes={partner_organisation.pk: PartnerOutcome("conditions", " ")},
        )
    errors = caught.value.error_dict
    assert {
        "note",
        f"note_{partner_organisation.pk}",
        f"outcome_{co_partner_organisation.pk}",
    } <= set(errors)
    assert not GateDecision.objects.exists()


def test_the_decider_finds_the_decision_in_their_data_export(
    phase, leader, partner_organisation, co_partner_organisation
):
    from clinics.selectors import personal_data_for

    _no_go_for(phase, leader, partner_organisation, co_partner_organisation)

    data = personal_data_for(user=leader)
    assert data["gate_decisions_taken"][0]["phase__name"] == phase.name
