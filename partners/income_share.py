"""A partner's own share of an agreement's IP income: each income entry split by the value
shares (``partners.ledger.split_by_shares``, to the cent, exactly as the ledger splits it),
keeping only the reader's part. The other parties' amounts and the region's reinvestments never
leave this module."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .ledger import split_by_shares
from .models import Agreement, AgreementParty


@dataclass(frozen=True)
class IncomeShareLine:
    received_on: date
    description: str
    ip_item: str
    income: Decimal
    share: Decimal
    currency: str


def income_share_lines(
    agreement: Agreement, parties: list[AgreementParty], party: AgreementParty
) -> list[IncomeShareLine]:
    """One line per income entry with ``party``'s share (one query)."""
    shares = [(p.pk, p.value_share) for p in parties]
    entries = agreement.income.select_related("ip_item").order_by("received_on", "pk")
    return [
        IncomeShareLine(
            received_on=entry.received_on,
            description=entry.description,
            ip_item=str(entry.ip_item) if entry.ip_item_id else "",
            income=entry.amount,
            share=split_by_shares(entry.amount, shares)[party.pk],
            currency=entry.currency,
        )
        for entry in entries
    ]


def income_share_totals(lines: list[IncomeShareLine]) -> list[tuple[str, Decimal, Decimal]]:
    """Per currency: (currency, income, the party's share)."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        income, share = totals.get(line.currency, (Decimal(0), Decimal(0)))
        totals[line.currency] = (income + line.income, share + line.share)
    return [(currency, income, share) for currency, (income, share) in sorted(totals.items())]
