"""Co-sharing rules and results: validation with errors next to the fields, the database's
own guards, the measurement hook, recomputing, optimistic version and history."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partnership.models import SharingResult, SharingRule, SharingRuleParty
from partnership.services.cosharing import (
    PartyPercentages,
    sharing_results_recompute,
    sharing_rule_create,
    sharing_rule_edit,
)
from tests.portfolio.factories import ValueIndicatorFactory

from .cosharing_fixtures import measure

pytestmark = pytest.mark.django_db


def test_a_measurement_computes_and_keeps_the_shares(
    sharing_rule, sharing_indicator, leader, partner_organisation
):
    measurement = measure(sharing_indicator, "120", leader)
    result = SharingResult.objects.get(measurement=measurement)
    assert result.band == "between" and result.improvement == D(20)
    shares = {s.organisation_id: s for s in result.shares.all()}
    assert shares[partner_organisation.pk].gain_share == D(40)
    assert shares[None].gain_amount == D(450)
    assert result.rule_version == sharing_rule.version and result.measured_value == D(120)


def test_recompute_adds_what_is_missing_once(sharing_rule, sharing_indicator, leader):
    measure(sharing_indicator, "105", leader)
    SharingResult.objects.all().delete()
    assert sharing_results_recompute() == 1
    assert sharing_results_recompute() == 0
    assert SharingResult.objects.get().band == "below_floor"


def test_editing_keeps_the_old_results_and_computes_new_ones(
    sharing_rule, sharing_rule_kwargs, sharing_indicator, leader
):
    measure(sharing_indicator, "120", leader)
    fields = {k: v for k, v in sharing_rule_kwargs.items() if k not in ("agreement", "indicator")}
    fields["ceiling"] = D(50)
    edited = sharing_rule_edit(
        rule=sharing_rule, actor=leader, expected_version=sharing_rule.version, **fields
    )
    results = SharingResult.objects.order_by("pk")
    assert [r.rule_version for r in results] == [1, edited.version]
    assert [r.position for r in results] == [D("0.5"), D("0.25")]
    # Who changed what, kept.
    assert edited.history.first().history_user == leader


def test_a_stale_edit_is_refused(sharing_rule, sharing_rule_kwargs, leader):
    fields = {k: v for k, v in sharing_rule_kwargs.items() if k not in ("agreement", "indicator")}
    sharing_rule_edit(
        rule=sharing_rule, actor=leader, expected_version=sharing_rule.version, **fields
    )
    with pytest.raises(ValidationError) as caught:
        sharing_rule_edit(
            rule=sharing_rule, actor=leader, expected_version=sharing_rule.version, **fields
        )
    assert caught.value.code == "stale"


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"floor": D(30), "ceiling": D(30)}, "ceiling", "The ceiling must be above the floor."),
        ({"floor": D(40)}, "ceiling", "The ceiling must be above the floor."),
        ({"region": PartyPercentages(D(60), D(20), D(50))}, "gain_floor_region", "sum to 90"),
        ({"region": PartyPercentages(D(70), D(30), D(50))}, "gain_ceiling_region", "sum to 110"),
        ({"region": PartyPercentages(D(70), D(20), D(0))}, "cost_below_region", "sum to 50"),
        ({"partner": PartyPercentages(D(120), D(60), D(30))}, "gain_floor_partner", "between 0"),
        ({"partner": PartyPercentages(D(20), D(60), D(-1))}, "cost_below_partner", "between 0"),
    ],
)
def test_bad_rules_are_refused_next_to_the_field(
    sharing_rule_kwargs, leader, partner_organisation, change, field, text
):
    parties = dict(sharing_rule_kwargs["parties"])
    if "region" in change:
        parties[None] = change.pop("region")
    if "partner" in change:
        parties[partner_organisation.pk] = change.pop("partner")
    field = field.replace("partner", str(partner_organisation.pk))
    with pytest.raises(ValidationError) as caught:
        sharing_rule_create(actor=leader, **{**sharing_rule_kwargs, **change, "parties": parties})
    messages = caught.value.message_dict[field]
    assert any(text in m for m in messages), messages
    assert not SharingRule.objects.exists()


def test_the_indicator_must_be_of_the_agreements_project(sharing_rule_kwargs, leader):
    other = ValueIndicatorFactory(baseline=1, target=2)
    with pytest.raises(ValidationError) as caught:
        sharing_rule_create(actor=leader, **{**sharing_rule_kwargs, "indicator": other})
    assert "indicator" in caught.value.message_dict


@pytest.mark.parametrize("role", ["partner_user", "joint_leader", "other_region_leader"])
def test_only_steering_leaders_agree_rules(request, sharing_rule_kwargs, role):
    with pytest.raises(PermissionDenied):
        sharing_rule_create(actor=request.getfixturevalue(role), **sharing_rule_kwargs)


def test_the_database_refuses_floor_at_or_above_ceiling(partnership_agreement, sharing_indicator):
    with pytest.raises(IntegrityError), transaction.atomic():
        SharingRule.objects.create(
            agreement=partnership_agreement, indicator=sharing_indicator, floor=5, ceiling=5
        )


def test_the_database_refuses_a_share_above_100(sharing_rule):
    with pytest.raises(IntegrityError), transaction.atomic():
        SharingRuleParty.objects.filter(rule=sharing_rule, organisation=None).update(
            gain_share_at_floor=D(101)
        )


def test_the_database_refuses_shares_that_do_not_sum_to_100(sharing_rule):
    # The trigger is deferred to commit: check it inside the test's transaction.
    from django.db import connection

    with pytest.raises(IntegrityError), transaction.atomic():
        SharingRuleParty.objects.filter(rule=sharing_rule, organisation=None).update(
            gain_share_at_floor=D(60)
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_full_clean_reports_floor_below_ceiling(partnership_agreement, sharing_indicator):
    with pytest.raises(ValidationError) as caught:
        SharingRule(
            agreement=partnership_agreement, indicator=sharing_indicator, floor=5, ceiling=4
        ).full_clean()
    assert "The floor must be below the ceiling." in str(caught.value)


def test_the_recompute_command_fills_in_existing_measurements(
    sharing_rule, sharing_indicator, leader
):
    from io import StringIO

    from django.core.management import call_command

    measure(sharing_indicator, "130", leader)
    SharingResult.objects.all().delete()
    out = StringIO()
    call_command("cosharing_recompute", stdout=out)
    assert "1 co-sharing result(s) added." in out.getvalue()
    call_command("cosharing_recompute", "--rule", str(sharing_rule.pk), stdout=out)
    assert "0 co-sharing result(s) added." in out.getvalue()
    assert SharingResult.objects.get().band == "capped"
