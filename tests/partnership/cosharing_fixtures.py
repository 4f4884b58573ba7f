"""Fixtures of the co-sharing tests: an indicator of the partnership's project (baseline
100, higher is better) and a rule on it (floor 10, ceiling 30; partner 20 → 60 % of the gain,
30 % of the cost; co-partner 10 → 20 %, 20 %; the region the rest)."""

from datetime import date
from decimal import Decimal as D

import pytest

from partnership.services.cosharing import PartyPercentages, sharing_rule_create
from portfolio.services.projects import value_measurement_record
from tests.portfolio.factories import ValueIndicatorFactory


@pytest.fixture
def sharing_indicator(project):
    return ValueIndicatorFactory(
        project=project, name="Patients seen per day", baseline=100, target=140, unit="patients"
    )


def _parties(partner_organisation, co_partner_organisation, **overrides):
    parties = {
        None: PartyPercentages(D(70), D(20), D(50)),
        partner_organisation.pk: PartyPercentages(D(20), D(60), D(30)),
        co_partner_organisation.pk: PartyPercentages(D(10), D(20), D(20)),
    }
    parties.update(overrides)
    return parties


@pytest.fixture
def sharing_rule_kwargs(
    partnership_agreement, sharing_indicator, partner_organisation, co_partner_organisation
):
    return {
        "agreement": partnership_agreement,
        "indicator": sharing_indicator,
        "floor": D(10),
        "ceiling": D(30),
        "currency": "SEK",
        "cost_amount": D(1000),
        "gain_per_unit": D(50),
        "note": "",
        "parties": _parties(partner_organisation, co_partner_organisation),
    }


@pytest.fixture
def sharing_rule(sharing_rule_kwargs, leader):
    return sharing_rule_create(actor=leader, **sharing_rule_kwargs)


def measure(indicator, value, leader, on=None):
    indicator.project.started_on = date(2025, 1, 1)
    indicator.project.save(update_fields=["started_on"])
    return value_measurement_record(
        indicator=indicator,
        value=D(value),
        measured_on=on or date.today(),
        recorded_by=leader,
    )
