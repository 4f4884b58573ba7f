"""Demo contributions: each demo innovation partnership (``seed_partnership``) gets a plan per
party (hours and money) and actual contributions over the months so far; the second partner
is clearly behind its plan (it shows on the dashboard and in the digest). Idempotent: an
agreement that has contributions is left alone."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partners.models import Agreement
from partnership.models import Contribution
from partnership.services.contributions import contribution_plan_set, contribution_record

# Share of the plan pro rata to date each party has put in: the region, the first partner,
# the second partner (behind).
ON_TRACK, BEHIND = Decimal("1.0"), Decimal("0.3")


def seed_contributions(*, today=None) -> int:
    today = today or timezone.localdate()
    seeded = 0
    agreements = (
        Agreement.objects.filter(phases__isnull=False, starts_on__isnull=False)
        .exclude(parties__contributions__isnull=False)
        .select_related("project__owner", "project__lead_clinic__region")
        .distinct()
        .order_by("pk")
    )
    for agreement in agreements:
        leader = agreement.project.owner
        parties = sorted(
            agreement.parties.select_related("organisation"),
            key=lambda p: (
                p.organisation_id is not None,
                p.organisation.name if p.organisation_id else "",
            ),
        )
        for index, party in enumerate(parties):
            hourly = Decimal("800")
            hours = Decimal("400")
            money = Decimal("250000") if party.organisation_id else Decimal("500000")
            contribution_plan_set(
                party=party, kind="hours", actor=leader, value=hours * hourly, hours=hours
            )
            contribution_plan_set(party=party, kind="money", actor=leader, value=money)
            share = BEHIND if index == 2 else ON_TRACK
            elapsed = Decimal((today - agreement.starts_on).days + 1) / Decimal(
                (agreement.ends_on - agreement.starts_on).days + 1
            )
            for month in range(1, 4):
                on = today - timedelta(days=30 * month)
                part_hours = (hours * elapsed * share / 3).quantize(Decimal("1"))
                contribution_record(
                    party=party,
                    actor=leader,
                    kind="hours",
                    contributed_on=on,
                    value=part_hours * hourly,
                    hours=part_hours,
                    note="",
                )
                contribution_record(
                    party=party,
                    actor=leader,
                    kind="money",
                    contributed_on=on,
                    value=(money * elapsed * share / 3).quantize(Decimal("1")),
                )
        seeded += 1
    return seeded


__all__ = ["Contribution", "seed_contributions"]
