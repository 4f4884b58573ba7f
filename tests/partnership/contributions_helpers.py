"""Helpers of the contributions tests: the parties of the partnership agreement and rows."""

from datetime import date
from decimal import Decimal

from partnership.models import Contribution


def party_of(agreement, organisation=None):
    return agreement.parties.get(organisation=organisation)


def plan(party, kind="money", value="1000", hours=None, user=None):
    return Contribution.objects.create(
        party=party,
        kind=kind,
        record="planned",
        value=Decimal(value),
        hours=None if hours is None else Decimal(hours),
        currency="SEK",
        recorded_by=user or party.agreement.created_by,
    )


def actual(party, kind="money", value="100", on=date(2026, 2, 1), hours=None, user=None):
    return Contribution.objects.create(
        party=party,
        kind=kind,
        record="actual",
        contributed_on=on,
        value=Decimal(value),
        hours=None if hours is None else Decimal(hours),
        currency="SEK",
        recorded_by=user or party.agreement.created_by,
    )
