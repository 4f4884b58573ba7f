"""Co-sharing arithmetic: how one measured outcome turns into each party's share of the cost
and of the gain (Västerbotten's innovation clinics 2.0 with industry). Pure: no database, no
translation; ``partnership.services.cosharing`` keeps what it returns, the pages render its
steps (``partnership.cosharing_steps``).

The agreed rule, per sharing indicator:

- **Improvement** is measured from the indicator's baseline in its direction, in the
  indicator's own unit (absolute, not per cent: a baseline of 0 is common, and a per cent of it
  is undefined): ``measured − baseline`` when higher is better, ``baseline − measured`` when
  lower is better. A change for the worse is a negative improvement.
- The **floor** and the **ceiling** are improvements in the same unit, floor < ceiling.
- **Below the floor** (improvement < floor) the outcome was not reached: each partner carries
  its agreed share ``z`` of the cost and gets no share of the gain; the region carries the
  rest of the cost and keeps the gain.
- **From the floor** the region carries the whole cost, and each partner's share of the gain
  moves linearly from ``x`` (at the floor) to ``y`` (at the ceiling):
  ``x + (y − x) × t`` with ``t = (improvement − floor) / (ceiling − floor)``; at or beyond the
  ceiling ``t`` is 1 (capped).
- Optional money: the agreed **cost** of the solution is split by the cost shares; the
  **gain** is ``improvement × value of one unit`` (none when the improvement is not positive),
  split by the gain shares.

Rounding (Decimal throughout, ``ROUND_HALF_UP``): ``t`` to 6 decimals, then used as rounded;
each partner's share to 0.01 percentage point; money to 0.01. The region gets the remainder of
each side (100 − the partners' shares, the amount − the partners' amounts), so every side sums
to exactly 100 % and to exactly the amount, whatever the rounding did.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)
SHARE_PLACES = Decimal("0.01")
MONEY_PLACES = Decimal("0.01")
POSITION_PLACES = Decimal("0.000001")

BELOW_FLOOR = "below_floor"
BETWEEN = "between"
CAPPED = "capped"


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PartyTerms:
    """One partner's agreed percentages. ``key`` is the organisation's id."""

    key: int
    gain_at_floor: Decimal
    gain_at_ceiling: Decimal
    cost_below_floor: Decimal


@dataclass(frozen=True)
class RuleTerms:
    baseline: Decimal
    higher_is_better: bool
    floor: Decimal
    ceiling: Decimal
    partners: tuple[PartyTerms, ...]
    cost_amount: Decimal | None = None
    gain_per_unit: Decimal | None = None


@dataclass
class PartyShare:
    """``key`` is the organisation's id, None for the region."""

    key: int | None
    gain_share: Decimal
    cost_share: Decimal
    gain_amount: Decimal | None = None
    cost_amount: Decimal | None = None
    steps: list[dict] = field(default_factory=list)


@dataclass
class Computation:
    measured: Decimal
    improvement: Decimal
    band: str
    position: Decimal | None
    gain_amount: Decimal | None
    steps: list[dict]
    shares: list[PartyShare]

    def share_of(self, key: int | None) -> PartyShare:
        return next(s for s in self.shares if s.key == key)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def compute_shares(terms: RuleTerms, measured: Decimal) -> Computation:
    """Each party's share of the cost and the gain for one measured value, with the steps."""
    measured = Decimal(measured)
    steps: list[dict] = []
    if terms.higher_is_better:
        improvement = measured - terms.baseline
        steps.append(
            {
                "code": "improvement_higher",
                "measured": _s(measured),
                "baseline": _s(terms.baseline),
                "result": _s(improvement),
            }
        )
    else:
        improvement = terms.baseline - measured
        steps.append(
            {
                "code": "improvement_lower",
                "measured": _s(measured),
                "baseline": _s(terms.baseline),
                "result": _s(improvement),
            }
        )

    position: Decimal | None
    if improvement < terms.floor:
        band = BELOW_FLOOR
        position = None
        steps.append(
            {"code": "below_floor", "improvement": _s(improvement), "floor": _s(terms.floor)}
        )
    elif improvement >= terms.ceiling:
        band = CAPPED
        position = ONE
        steps.append(
            {"code": "capped", "improvement": _s(improvement), "ceiling": _s(terms.ceiling)}
        )
    else:
        band = BETWEEN
        position = _round(
            (improvement - terms.floor) / (terms.ceiling - terms.floor), POSITION_PLACES
        )
        steps.append(
            {
                "code": "position",
                "improvement": _s(improvement),
                "floor": _s(terms.floor),
                "ceiling": _s(terms.ceiling),
                "result": _s(position),
            }
        )

    gain_amount: Decimal | None = None
    if terms.gain_per_unit is not None:
        gain_amount = _round(max(improvement, ZERO) * terms.gain_per_unit, MONEY_PLACES)
        steps.append(
            {
                "code": "gain_amount",
                "improvement": _s(max(improvement, ZERO)),
                "per_unit": _s(terms.gain_per_unit),
                "result": _s(gain_amount),
            }
        )

    shares: list[PartyShare] = []
    for party in terms.partners:
        share = PartyShare(key=party.key, gain_share=ZERO, cost_share=ZERO)
        if band == BELOW_FLOOR:
            share.cost_share = _round(party.cost_below_floor, SHARE_PLACES)
            share.steps.append({"code": "cost_share_below_floor", "result": _s(share.cost_share)})
            share.steps.append({"code": "no_gain_below_floor"})
        else:
            share.gain_share = _round(
                party.gain_at_floor + (party.gain_at_ceiling - party.gain_at_floor) * position,
                SHARE_PLACES,
            )
            share.steps.append(
                {
                    "code": "gain_share_linear",
                    "at_floor": _s(party.gain_at_floor),
                    "at_ceiling": _s(party.gain_at_ceiling),
                    "position": _s(position),
                    "result": _s(share.gain_share),
                }
            )
            share.steps.append({"code": "no_cost_from_floor"})
        _amounts(share, terms.cost_amount, gain_amount)
        shares.append(share)

    region = PartyShare(
        key=None,
        gain_share=HUNDRED - sum((s.gain_share for s in shares), ZERO),
        cost_share=HUNDRED - sum((s.cost_share for s in shares), ZERO),
    )
    partner_gains = [_s(s.gain_share) for s in shares]
    partner_costs = [_s(s.cost_share) for s in shares]
    region.steps.append(
        {
            "code": "region_gain_remainder",
            "partners": partner_gains,
            "result": _s(region.gain_share),
        }
    )
    region.steps.append(
        {
            "code": "region_cost_remainder",
            "partners": partner_costs,
            "result": _s(region.cost_share),
        }
    )
    if terms.cost_amount is not None:
        region.cost_amount = terms.cost_amount - sum((s.cost_amount for s in shares), ZERO)
        region.steps.append(
            {
                "code": "region_cost_amount_remainder",
                "amount": _s(terms.cost_amount),
                "partners": [_s(s.cost_amount) for s in shares],
                "result": _s(region.cost_amount),
            }
        )
    if gain_amount is not None:
        region.gain_amount = gain_amount - sum((s.gain_amount for s in shares), ZERO)
        region.steps.append(
            {
                "code": "region_gain_amount_remainder",
                "amount": _s(gain_amount),
                "partners": [_s(s.gain_amount) for s in shares],
                "result": _s(region.gain_amount),
            }
        )
    return Computation(
        measured=measured,
        improvement=improvement,
        band=band,
        position=position,
        gain_amount=gain_amount,
        steps=steps,
        shares=[region, *shares],
    )


def _amounts(share: PartyShare, cost_amount, gain_amount) -> None:
    if cost_amount is not None:
        share.cost_amount = _round(cost_amount * share.cost_share / HUNDRED, MONEY_PLACES)
        share.steps.append(
            {
                "code": "cost_amount",
                "amount": _s(cost_amount),
                "share": _s(share.cost_share),
                "result": _s(share.cost_amount),
            }
        )
    if gain_amount is not None:
        share.gain_amount = _round(gain_amount * share.gain_share / HUNDRED, MONEY_PLACES)
        share.steps.append(
            {
                "code": "gain_amount_share",
                "amount": _s(gain_amount),
                "share": _s(share.gain_share),
                "result": _s(share.gain_amount),
            }
        )
