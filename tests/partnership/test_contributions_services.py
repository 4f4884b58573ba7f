"""Contributions: the rules of who plans and records, versions, the database's constraints."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.models import Contribution, ContributionDocument
from partnership.services.contributions import (
    contribution_delete,
    contribution_plan_set,
    contribution_record,
    contribution_update,
)

from .contributions_helpers import actual, party_of, plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_steering_leader_plans_and_changes_a_plan_by_its_version(
    partnership_agreement, partner_organisation, leader
):
    party = party_of(partnership_agreement, partner_organisation)
    first = contribution_plan_set(
        party=party, kind="hours", actor=leader, value=Decimal("50000"), hours=Decimal("100")
    )
    assert first.record == "planned" and first.currency == "SEK" and first.version == 1
    changed = contribution_plan_set(
        party=party,
        kind="hours",
        actor=leader,
        value=Decimal("60000"),
        hours=Decimal("120"),
        expected_version=1,
    )
    assert changed.pk == first.pk and changed.version == 2
    with pytest.raises(ValidationError) as stale:
        contribution_plan_set(
            party=party, kind="hours", actor=leader, value=Decimal("1"), hours=1, expected_version=1
        )
    assert stale.value.code == "stale"
    # The audit trail: who planned and who changed it.
    assert [h.history_user for h in first.history.all()] == [leader, leader]


def test_a_second_first_plan_is_stale(partnership_agreement, partner_organisation, leader):
    party = party_of(partnership_agreement, partner_organisation)
    contribution_plan_set(party=party, kind="money", actor=leader, value=Decimal("1"))
    with pytest.raises(ValidationError) as stale:
        contribution_plan_set(party=party, kind="money", actor=leader, value=Decimal("2"))
    assert stale.value.code == "stale"


def test_only_who_steers_plans(
    partnership_agreement, partner_organisation, partner_user, joint_leader
):
    party = party_of(partnership_agreement, partner_organisation)
    for actor in (partner_user, joint_leader):
        with pytest.raises(PermissionDenied):
            contribution_plan_set(party=party, kind="money", actor=actor, value=Decimal("1"))


def test_hours_only_for_hours(partnership_agreement, partner_organisation, leader):
    party = party_of(partnership_agreement, partner_organisation)
    with pytest.raises(ValidationError) as error:
        contribution_plan_set(party=party, kind="hours", actor=leader, value=Decimal("1"))
    assert "hours" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        contribution_plan_set(
            party=party, kind="money", actor=leader, value=Decimal("1"), hours=Decimal("3")
        )
    assert "hours" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        contribution_plan_set(party=party, kind="money", actor=leader, value=Decimal("-1"))
    assert "value" in error.value.error_dict


def test_a_partner_records_for_its_own_organisation_only(
    partnership_agreement, partner_organisation, co_partner_organisation, partner_user
):
    own = party_of(partnership_agreement, partner_organisation)
    other = party_of(partnership_agreement, co_partner_organisation)
    region = party_of(partnership_agreement, None)
    recorded = contribution_record(
        party=own,
        actor=partner_user,
        kind="money",
        contributed_on=date(2026, 1, 10),
        value=Decimal("2500.50"),
        note="Licence costs",
        uploaded=SimpleUploadedFile("invoice.pdf", PDF),
    )
    assert recorded.record == "actual" and recorded.recorded_by == partner_user
    assert ContributionDocument.objects.get(contribution=recorded).original_name == "invoice.pdf"
    for party in (other, region):
        with pytest.raises(PermissionDenied):
            contribution_record(
                party=party,
                actor=partner_user,
                kind="money",
                contributed_on=date(2026, 1, 10),
                value=Decimal("1"),
            )


def test_a_leader_records_for_any_party_and_a_bad_document_is_refused(
    partnership_agreement, co_partner_organisation, leader
):
    party = party_of(partnership_agreement, co_partner_organisation)
    with pytest.raises(ValidationError) as error:
        contribution_record(
            party=party,
            actor=leader,
            kind="in_kind",
            contributed_on=date(2026, 1, 10),
            value=Decimal("1"),
            uploaded=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "document" in error.value.error_dict
    assert not Contribution.objects.exists()
    with pytest.raises(ValidationError) as error:
        contribution_record(
            party=party,
            actor=leader,
            kind="in_kind",
            contributed_on=timezone.localdate() + timedelta(days=1),
            value=Decimal("1"),
        )
    assert "contributed_on" in error.value.error_dict


def test_the_recorder_changes_for_a_while_and_leaders_always(
    partnership_agreement, partner_organisation, partner_user, leader
):
    party = party_of(partnership_agreement, partner_organisation)
    row = actual(party, user=partner_user)
    fields = {"kind": "money", "contributed_on": date(2026, 2, 2), "value": Decimal("150")}
    row = contribution_update(contribution=row, actor=partner_user, expected_version=1, **fields)
    assert row.version == 2
    with pytest.raises(ValidationError):
        contribution_update(contribution=row, actor=partner_user, expected_version=1, **fields)
    Contribution.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=Contribution.EDIT_DAYS + 1)
    )
    row.refresh_from_db()
    with pytest.raises(PermissionDenied):
        contribution_update(contribution=row, actor=partner_user, expected_version=2, **fields)
    contribution_update(contribution=row, actor=leader, expected_version=2, **fields)
    contribution_delete(contribution=row, actor=leader, expected_version=3)
    assert not Contribution.objects.filter(pk=row.pk).exists()
    # The removal stays in the audit trail, with who removed it.
    last = Contribution.history.filter(id=row.pk).first()
    assert last.history_type == "-" and last.history_user == leader


def test_another_partner_never_changes_a_record(
    partnership_agreement, partner_organisation, co_partner_user
):
    row = actual(party_of(partnership_agreement, partner_organisation))
    with pytest.raises(PermissionDenied):
        contribution_delete(contribution=row, actor=co_partner_user, expected_version=1)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"record": "actual", "contributed_on": None}, "actual_has_date"),
        ({"record": "planned", "contributed_on": date(2026, 1, 1)}, "actual_has_date"),
        ({"value": Decimal("-1")}, "value_not_negative"),
        ({"kind": "hours", "hours": None}, "hours_of_hours_only"),
        ({"kind": "money", "hours": Decimal("2")}, "hours_of_hours_only"),
    ],
)
def test_constraints(partnership_agreement, partner_organisation, leader, fields, constraint):
    base = {
        "party": party_of(partnership_agreement, partner_organisation),
        "kind": "money",
        "record": "actual",
        "contributed_on": date(2026, 1, 1),
        "value": Decimal("1"),
        "currency": "SEK",
        "recorded_by": leader,
    }
    row = Contribution(**{**base, **fields})
    with pytest.raises(ValidationError):
        row.full_clean()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Contribution.objects.create(**{**base, **fields})


def test_one_plan_per_party_and_kind(partnership_agreement, partner_organisation):
    party = party_of(partnership_agreement, partner_organisation)
    plan(party)
    with pytest.raises(IntegrityError, match="one_plan_per_kind"), transaction.atomic():
        plan(party)
    plan(party, kind="rights")  # another kind is another plan
