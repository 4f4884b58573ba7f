"""Splitting income between the parties by their value shares, to the cent."""

from decimal import ROUND_FLOOR, Decimal

CENT = Decimal("0.01")


def split_by_shares(amount: Decimal, shares: list[tuple[object, Decimal]]) -> dict:
    """Split ``amount`` by percentage ``shares`` ([(key, share), ...], summing to 100).

    Each part is rounded down to the cent, then the cents left over go one by one to the parts
    that lost the most in rounding (the largest remainder method; ties: in the given order), so
    the parts always add up to exactly ``amount``.
    """
    if not shares:
        return {}
    cents = int((amount / CENT).to_integral_value())
    total_share = sum((share for _, share in shares), Decimal(0)) or Decimal(1)
    exact = [(key, Decimal(cents) * share / total_share) for key, share in shares]
    floors = {key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact}
    left = cents - sum(floors.values())
    by_remainder = sorted(
        range(len(exact)), key=lambda i: exact[i][1] - floors[exact[i][0]], reverse=True
    )
    for index in by_remainder[:left]:
        floors[exact[index][0]] += 1
    return {key: Decimal(value) * CENT for key, value in floors.items()}
