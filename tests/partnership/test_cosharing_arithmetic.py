"""The co-sharing arithmetic against hand-computed tables (partnership/cosharing.py).

The rule of the tables: baseline 100, floor 10 and ceiling 30 units of improvement; partner A
gets 20 % of the gain at the floor and 60 % at the ceiling and carries 30 % of the cost below
the floor; partner B 10 %, 20 % and 20 %; the region the rest (70 %, 20 %, 50 %). Cost to
share 1 000, one unit of improvement worth 50.
"""

from decimal import Decimal as D

import pytest

from partnership.cosharing import (
    BELOW_FLOOR,
    BETWEEN,
    CAPPED,
    PartyTerms,
    RuleTerms,
    compute_shares,
)

A, B = 1, 2
PARTNERS = (
    PartyTerms(key=A, gain_at_floor=D(20), gain_at_ceiling=D(60), cost_below_floor=D(30)),
    PartyTerms(key=B, gain_at_floor=D(10), gain_at_ceiling=D(20), cost_below_floor=D(20)),
)


def _terms(higher=True, **overrides):
    values = {
        "baseline": D(100),
        "higher_is_better": higher,
        "floor": D(10),
        "ceiling": D(30),
        "partners": PARTNERS,
        "cost_amount": D(1000),
        "gain_per_unit": D(50),
    }
    values.update(overrides)
    return RuleTerms(**values)


# measured, improvement, band, position,
# (A gain %, B gain %, region gain %), (A cost %, B cost %, region cost %),
# gain to share, (A gain, B gain, region gain), (A cost, B cost, region cost)
TABLE = [
    # Between floor and ceiling, half way: 20 + 40 × 0.5 = 40; 10 + 10 × 0.5 = 15.
    ("120", "20", BETWEEN, "0.5", (40, 15, 45), (0, 0, 100), 1000, (400, 150, 450), (0, 0, 1000)),
    # At the floor: the shares agreed at the floor, the region carries the cost.
    ("110", "10", BETWEEN, "0", (20, 10, 70), (0, 0, 100), 500, (100, 50, 350), (0, 0, 1000)),
    # At the ceiling.
    ("130", "30", CAPPED, "1", (60, 20, 20), (0, 0, 100), 1500, (900, 300, 300), (0, 0, 1000)),
    # Beyond the ceiling: capped at the ceiling's shares; the gain still grows.
    ("150", "50", CAPPED, "1", (60, 20, 20), (0, 0, 100), 2500, (1500, 500, 500), (0, 0, 1000)),
    # Below the floor: the partners carry their cost shares, the region keeps the gain.
    ("105", "5", BELOW_FLOOR, None, (0, 0, 100), (30, 20, 50), 250, (0, 0, 250), (300, 200, 500)),
    # Just below the floor.
    (
        "109.99",
        "9.99",
        BELOW_FLOOR,
        None,
        (0, 0, 100),
        (30, 20, 50),
        "499.50",
        (0, 0, "499.50"),
        (300, 200, 500),
    ),
    # A change for the worse: negative improvement, no gain at all.
    ("90", "-10", BELOW_FLOOR, None, (0, 0, 100), (30, 20, 50), 0, (0, 0, 0), (300, 200, 500)),
]


@pytest.mark.parametrize(
    (
        "measured",
        "improvement",
        "band",
        "position",
        "gain",
        "cost",
        "gain_total",
        "gain_money",
        "cost_money",
    ),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_hand_computed_table(
    measured, improvement, band, position, gain, cost, gain_total, gain_money, cost_money
):
    result = compute_shares(_terms(), D(measured))

    assert result.improvement == D(improvement)
    assert result.band == band
    assert result.position == (None if position is None else D(position))
    assert result.gain_amount == D(str(gain_total))
    for key, g, c, gm, cm in zip((A, B, None), gain, cost, gain_money, cost_money, strict=True):
        share = result.share_of(key)
        assert share.gain_share == D(g), key
        assert share.cost_share == D(c), key
        assert share.gain_amount == D(str(gm)), key
        assert share.cost_amount == D(str(cm)), key
    assert sum(s.gain_share for s in result.shares) == 100
    assert sum(s.cost_share for s in result.shares) == 100


def test_lower_is_better_measures_improvement_downwards():
    # Baseline 100 days, measured 80: 20 days better, half way between 10 and 30.
    result = compute_shares(_terms(higher=False), D(80))
    assert result.improvement == D(20)
    assert result.band == BETWEEN
    assert result.share_of(A).gain_share == D(40)
    assert result.steps[0]["code"] == "improvement_lower"
    # Worse than the baseline (120 days): negative improvement, below the floor.
    worse = compute_shares(_terms(higher=False), D(120))
    assert worse.improvement == D(-20)
    assert worse.band == BELOW_FLOOR
    assert worse.share_of(A).cost_share == D(30)


def test_rounding_gives_the_region_the_remainder():
    # t = 1/3 = 0.333333 (6 decimals); 50 × 0.333333 = 16.66665 → 16.67 each; the region
    # gets 100 − 33.34 = 66.66, so the side still sums to exactly 100.
    partners = (
        PartyTerms(key=A, gain_at_floor=D(0), gain_at_ceiling=D(50), cost_below_floor=D(0)),
        PartyTerms(key=B, gain_at_floor=D(0), gain_at_ceiling=D(50), cost_below_floor=D(0)),
    )
    result = compute_shares(
        _terms(floor=D(0), ceiling=D(3), partners=partners, gain_per_unit=D("10.01")), D(101)
    )
    assert result.position == D("0.333333")
    assert result.share_of(A).gain_share == D("16.67")
    assert result.share_of(None).gain_share == D("66.66")
    # Gain 1 × 10.01: 16.67 % → 1.668667 → 1.67 each; the region 10.01 − 3.34 = 6.67.
    assert result.share_of(A).gain_amount == D("1.67")
    assert result.share_of(None).gain_amount == D("6.67")
    assert sum(s.gain_amount for s in result.shares) == D("10.01")


def test_steps_carry_the_numbers():
    result = compute_shares(_terms(), D(120))
    assert result.steps[0] == {
        "code": "improvement_higher",
        "measured": "120",
        "baseline": "100",
        "result": "20",
    }
    assert result.steps[1]["code"] == "position" and result.steps[1]["result"] == "0.500000"
    linear = result.share_of(A).steps[0]
    assert linear == {
        "code": "gain_share_linear",
        "at_floor": "20",
        "at_ceiling": "60",
        "position": "0.500000",
        "result": "40.00",
    }
    assert result.share_of(None).steps[0]["partners"] == ["40.00", "15.00"]


def test_without_money_no_amounts():
    result = compute_shares(_terms(cost_amount=None, gain_per_unit=None), D(120))
    assert result.gain_amount is None
    assert all(s.gain_amount is None and s.cost_amount is None for s in result.shares)


def test_steps_read_as_sentences_in_swedish():
    from django.utils import translation

    from partnership.cosharing_steps import steps_text

    result = compute_shares(_terms(), D("120.5"))
    with translation.override("sv"):
        lines = steps_text(result.steps, "SEK")
    assert "120,5" in lines[0] and "20,5" in lines[0]
