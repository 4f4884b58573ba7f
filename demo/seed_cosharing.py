"""Demo co-sharing: in each region the demo innovation partnership (``seed_partnership``)
names one value indicator of its project as a sharing indicator, with measurements that move
the shares: first below the floor (the partners carry part of the cost), then between floor
and ceiling, then beyond the ceiling (capped).

Written through the services (``portfolio.services`` for the indicator and its measurements,
``partnership.services.cosharing`` for the rule), so every measurement is computed and kept as
in the product. Seeded once per agreement: a second run changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partners.models import Agreement
from partnership.services.cosharing import (
    PartyPercentages,
    agreement_party_ids,
    sharing_rule_create,
)
from portfolio.models import ValueIndicator
from portfolio.services.projects import value_measurement_record
from portfolio.services.value_indicators import value_indicator_create

from .seed_partnership import PARTNERSHIPS, TEXT

INDICATOR = {
    "sv": ("Patienter som följs upp hemma per månad", "patienter"),
    "da": ("Patienter fulgt op hjemme pr. måned", "patienter"),
}
NOTE = {
    "sv": "Delningen följer antalet patienter som följs upp hemma, mätt varje månad.",
    "da": "Delingen følger antallet af patienter fulgt op hjemme, målt hver måned.",
}
# Baseline 40 patients; improvement floor 10, ceiling 30. Measured 45 (below the floor),
# 60 (half way), 78 (beyond the ceiling), the newest last.
MEASUREMENTS = [(90, Decimal(45)), (50, Decimal(60)), (10, Decimal(78))]


def seed_cosharing(*, today=None) -> list[Agreement]:
    today = today or timezone.localdate()
    seeded = []
    for region_slug, (_first, _second, currency) in PARTNERSHIPS.items():
        agreement = (
            Agreement.objects.filter(
                project__lead_clinic__region__slug=region_slug,
                title__in=[text["title"] for text in TEXT.values()],
            )
            .select_related("project__lead_clinic__region", "created_by")
            .order_by("pk")
            .first()
        )
        if agreement is None or agreement.sharing_rules.exists():
            continue
        leader = agreement.created_by
        project = agreement.project
        language = project.lead_clinic.region.language
        name, unit = INDICATOR[language]
        indicator = ValueIndicator.objects.filter(project=project, name=name).first()
        if indicator is None:
            indicator = value_indicator_create(
                project=project,
                actor=leader,
                dimension=ValueIndicator.Dimension.CARE_PATHWAY,
                name=name,
                unit=unit,
                direction=ValueIndicator.Direction.HIGHER,
                baseline=Decimal(40),
                target=Decimal(70),
                frequency=ValueIndicator.Frequency.MONTHLY,
            )
        region, first, second = agreement_party_ids(agreement)
        shares = {
            region: PartyPercentages(Decimal(70), Decimal(30), Decimal(50)),
            first: PartyPercentages(Decimal(20), Decimal(50), Decimal(30)),
            second: PartyPercentages(Decimal(10), Decimal(20), Decimal(20)),
        }
        sharing_rule_create(
            agreement=agreement,
            indicator=indicator,
            actor=leader,
            parties=shares,
            floor=Decimal(10),
            ceiling=Decimal(30),
            currency=currency,
            cost_amount=Decimal(600_000),
            gain_per_unit=Decimal(12_000),
            note=NOTE[language],
        )
        for days_ago, value in MEASUREMENTS:
            measured_on = max(today - timedelta(days=days_ago), project.started_on)
            value_measurement_record(
                indicator=indicator, value=value, measured_on=measured_on, recorded_by=leader
            )
        seeded.append(agreement)
    return seeded
